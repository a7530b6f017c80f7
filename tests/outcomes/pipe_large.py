# Outcome scenario: 300 KB messages through one pipe between two processes
# (more than the pipe holds: the writer waits for the reader).
import multiprocessing as mp
def grande(c):
    for k in range(3):
        c.send(b"x" * 300000)
if __name__ == "__main__":
    r, w = mp.Pipe(duplex=False)
    p = mp.Process(target=grande, args=(w,))
    p.start()
    print([len(r.recv()) for _ in range(3)])
    p.join()
