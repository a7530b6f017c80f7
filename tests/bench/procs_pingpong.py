# Cross-process hand-offs: a message bounces between two processes over a
# pipe; every send wakes the other process.
import multiprocessing as mp

N = 2000


def eco(conn):
    for _ in range(N):
        conn.send(conn.recv())


if __name__ == "__main__":
    a, b = mp.Pipe()
    p = mp.Process(target=eco, args=(b,))
    p.start()
    for i in range(N):
        a.send(i)
        a.recv()
    p.join()
