# Pool.apply and apply_async: callback, error_callback, get/wait/ready/successful.
import multiprocessing as mp


def work(x):
    if x == 3:
        raise ValueError("bad input %d" % x)
    return x * 10


def gated(x):
    gate.wait()
    return work(x)


if __name__ == "__main__":
    gate = mp.Event()
    results, errors = [], []
    with mp.Pool(processes=2) as pool:
        print("apply:", pool.apply(work, (4,)))
        print("apply kwds:", pool.apply(work, kwds={"x": 5}))
        asyncs = [pool.apply_async(work, (i,), callback=results.append,
                                   error_callback=lambda e: errors.append(repr(e)))
                  for i in range(6)]
        for a in asyncs:
            a.wait()
        print("ready:", [a.ready() for a in asyncs])
        print("successful:", [a.successful() for a in asyncs])
        for i, a in enumerate(asyncs):
            try:
                print(i, "get:", a.get(timeout=30))
            except ValueError as e:
                print(i, "get raised:", repr(e))
        pool.close()
        pool.join()
    print("callbacks:", sorted(results))
    print("error callbacks:", errors)
    with mp.Pool(1) as pool:
        r = pool.apply_async(gated, (1,))
        print("ready while gated:", r.ready())
        try:
            r.successful()
        except ValueError as e:
            print("successful() before ready:", type(e).__name__, str(e).endswith("not ready"))
        try:
            r.get(timeout=0.2)
        except mp.TimeoutError:
            print("get(timeout=0.2): TimeoutError")
        gate.set()
        print("get:", r.get())
