# Pool.terminate with long tasks still running: their results never become ready.
import multiprocessing as mp
import time


def slow(x, started):
    started.put(x)
    time.sleep(60)
    return x


def fast(x):
    return -x


if __name__ == "__main__":
    m = mp.Manager()
    started = m.Queue()
    pool = mp.Pool(processes=2)
    print("fast:", pool.map(fast, range(4)))
    rs = [pool.apply_async(slow, (i, started)) for i in range(2)]
    print("two started:", sorted(started.get() for _ in range(2)))
    print("ready before terminate:", [r.ready() for r in rs])
    pool.terminate()
    pool.join()
    print("ready after terminate:", [r.ready() for r in rs])
    try:
        rs[0].get(timeout=0.2)
    except mp.TimeoutError:
        print("get(timeout) -> multiprocessing.TimeoutError")
    m.shutdown()
    print("done")
