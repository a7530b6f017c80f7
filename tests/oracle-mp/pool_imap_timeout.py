# IMapIterator.next(timeout) raises multiprocessing.TimeoutError while the task is still running.
import multiprocessing as mp
import time


def slow_then_fast(x):
    if x == 0:
        gate.wait()
    return x * 3


if __name__ == "__main__":
    gate = mp.Event()
    with mp.Pool(processes=2) as pool:
        it = pool.imap(slow_then_fast, range(4))
        try:
            it.next(timeout=0.3)
        except mp.TimeoutError as e:
            print("next(timeout=0.3):", type(e).__module__, type(e).__name__)
        gate.set()
        print("then:", [it.next(timeout=30) for _ in range(4)])
        r = pool.apply_async(time.sleep, (30,))
        try:
            r.get(0.2)
        except mp.TimeoutError:
            print("apply_async get(0.2): TimeoutError, ready", r.ready())
    print("with exit terminated the sleeping worker")
