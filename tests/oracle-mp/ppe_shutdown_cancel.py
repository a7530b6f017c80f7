# ProcessPoolExecutor.shutdown(cancel_futures=True): futures still queued are cancelled, the others finish.
from concurrent.futures import ProcessPoolExecutor
import multiprocessing as mp


def blocked(i):
    gate.wait()
    return i


if __name__ == "__main__":
    gate = mp.Event()
    ex = ProcessPoolExecutor(max_workers=1)
    first = ex.submit(blocked, 0)
    rest = [ex.submit(blocked, i) for i in range(1, 10)]
    print("first not done:", not first.done())
    ex.shutdown(wait=False, cancel_futures=True)
    gate.set()
    print("first:", first.result())
    ex.shutdown(wait=True)
    states = ["cancelled" if f.cancelled() else "done:%d" % f.result() for f in rest]
    ran = [s for s in states if s != "cancelled"]
    print("all settled:", all(f.done() for f in rest))
    print("last ones cancelled:", states[-5:] == ["cancelled"] * 5)
    print("the ones that ran are a prefix:", ran == ["done:%d" % i for i in range(1, 1 + len(ran))])
    try:
        ex.submit(blocked, 99)
    except RuntimeError as e:
        print("submit:", e)
