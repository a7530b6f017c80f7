# multiprocessing.pool.ThreadPool beside a process Pool: same API, tasks run in threads of the parent.
import multiprocessing as mp
from multiprocessing.pool import ThreadPool
import os

state = {"n": 0}


def bump(x):
    state["n"] += 1
    return x + 1, os.getpid() == PARENT


if __name__ == "__main__":
    PARENT = os.getpid()
    with ThreadPool(3) as tp:
        print("thread pool:", tp.map(bump, range(5)))
    print("parent state after thread pool:", state["n"])
    with mp.Pool(3) as pp:
        print("process pool:", pp.map(bump, range(5)))
    print("parent state after process pool:", state["n"])
