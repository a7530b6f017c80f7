# mp.Barrier across processes: wait() returns distinct indices, action runs once per cycle, reuse.
import multiprocessing as mp
import threading


def action():
    print("barrier action runs once, in the last process to arrive", flush=True)


def worker(b, out, i):
    for cycle in range(2):
        idx = b.wait()
        out.put((cycle, idx))


if __name__ == "__main__":
    b = mp.Barrier(3)
    print("parties:", b.parties, "n_waiting:", b.n_waiting, "broken:", b.broken)
    out = mp.Queue()
    ps = [mp.Process(target=worker, args=(b, out, i)) for i in range(3)]
    for p in ps:
        p.start()
    print(sorted(out.get() for _ in range(6)))
    for p in ps:
        p.join()
    print("n_waiting:", b.n_waiting, "broken:", b.broken)
    b2 = mp.Barrier(2, timeout=0.3)
    try:
        b2.wait()
    except threading.BrokenBarrierError as e:
        print("lone waiter:", type(e).__name__, "broken:", b2.broken)
    b2.reset()
    print("after reset broken:", b2.broken)
    b3 = mp.Barrier(2, action=action)
    p = mp.Process(target=b3.wait)
    p.start()
    r = b3.wait()
    p.join()
    print("parent index in", [0, 1], ":", r in (0, 1))
