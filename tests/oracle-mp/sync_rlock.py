# mp.RLock: re-entrant in its owner, other processes block until the last release, non-owner release fails.
import multiprocessing as mp


def other(rlock, out, ready, go):
    out.put(("other acquire(False)", rlock.acquire(False)))
    try:
        rlock.release()
    except AssertionError as e:
        out.put(("other release", str(e)))
    ready.set()
    go.wait()
    out.put(("other blocking acquire", rlock.acquire(timeout=30)))
    rlock.release()


if __name__ == "__main__":
    rlock = mp.RLock()
    print("acquire:", rlock.acquire(), "again:", rlock.acquire(), "third:", rlock.acquire(timeout=1))
    out = mp.Queue()
    ready, go = mp.Event(), mp.Event()
    p = mp.Process(target=other, args=(rlock, out, ready, go))
    p.start()
    print(out.get())
    print(out.get())
    ready.wait()
    rlock.release()
    rlock.release()
    print("still held once:", "RLock" in repr(rlock), repr(rlock).endswith(", 1)>"))
    go.set()
    rlock.release()
    print(out.get())
    p.join()
    try:
        rlock.release()
    except AssertionError as e:
        print("release unowned:", e)
    print("exitcode:", p.exitcode)
