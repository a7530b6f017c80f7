# mp.Barrier broken across processes: by abort() from the parent, and by a timeout with a party missing.
import multiprocessing as mp
import threading
import time


def waiter(b, out, i):
    try:
        b.wait()
        out.put((i, "passed"))
    except threading.BrokenBarrierError:
        out.put((i, "broken"))


if __name__ == "__main__":
    b = mp.Barrier(3)
    out = mp.Queue()
    ps = [mp.Process(target=waiter, args=(b, out, i)) for i in range(2)]
    for p in ps:
        p.start()
    while b.n_waiting < 2:
        time.sleep(0.01)
    b.abort()
    print("after abort:", sorted(out.get() for _ in ps), "broken:", b.broken)
    for p in ps:
        p.join()
    b.reset()
    print("after reset: broken", b.broken, "n_waiting", b.n_waiting)
    t = mp.Barrier(3, timeout=0.3)
    p = mp.Process(target=waiter, args=(t, out, "child"))
    p.start()
    waiter(t, out, "parent")
    p.join()
    print("timeout:", sorted(out.get() for _ in range(2)), "broken:", t.broken)
