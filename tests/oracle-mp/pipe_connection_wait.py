# multiprocessing.connection.wait over several pipes and process sentinels, collected in a fixed order.
import multiprocessing as mp
from multiprocessing.connection import wait


def sender(conn, i, go):
    go.wait()
    conn.send(("from", i, i * i))
    conn.close()


if __name__ == "__main__":
    go = mp.Event()
    readers, procs = [], []
    for i in range(3):
        r, w = mp.Pipe(duplex=False)
        p = mp.Process(target=sender, args=(w, i, go))
        p.start()
        w.close()
        readers.append(r)
        procs.append(p)
    print("wait with timeout, nothing ready:", wait(readers, timeout=0.2))
    go.set()
    got, open_readers = [], list(readers)
    while open_readers:
        for r in wait(open_readers, timeout=30):
            try:
                got.append(r.recv())
            except EOFError:
                open_readers.remove(r)
    print(sorted(got))
    sentinels = [p.sentinel for p in procs]
    ready = wait(sentinels, timeout=30)
    while len(ready) < 3:
        ready = wait(sentinels, timeout=30)
    for p in procs:
        p.join()
    print("all sentinels ready:", sorted(ready) == sorted(sentinels), [p.exitcode for p in procs])
