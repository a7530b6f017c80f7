# ProcessPoolExecutor workers: initializer once per worker, names ForkProcess-N, not the parent's pid.
from concurrent.futures import ProcessPoolExecutor
import multiprocessing as mp
import os

seen = None


def init(q, tag):
    global seen
    seen = tag
    q.put(mp.current_process().name)


def where(x):
    return seen, mp.current_process().name.startswith("ForkProcess-"), os.getpid() != PARENT


if __name__ == "__main__":
    PARENT = os.getpid()
    q = mp.Queue()
    with ProcessPoolExecutor(max_workers=3, initializer=init, initargs=(q, "ready")) as ex:
        print(ex.submit(where, 0).result())
        print("worker names:", sorted(q.get() for _ in range(3)))
        print(set(ex.map(where, range(6))))
    print("parent's seen:", seen, mp.current_process().name)
