# Manager Lock, Queue, Event and a shared counter in a managed dict guarded by the manager's Lock.
import multiprocessing as mp
import queue


def worker(lock, d, q, ev, n):
    ev.wait()
    for _ in range(n):
        with lock:
            d["count"] = d["count"] + 1
    q.put(("worker done", n))


if __name__ == "__main__":
    with mp.Manager() as m:
        lock, d, q, ev = m.Lock(), m.dict(count=0), m.Queue(), m.Event()
        ps = [mp.Process(target=worker, args=(lock, d, q, ev, 25)) for _ in range(4)]
        for p in ps:
            p.start()
        ev.set()
        print([q.get(timeout=30) for _ in ps])
        for p in ps:
            p.join()
        print("count:", d["count"])
        print("lock acquire:", lock.acquire(), "non-blocking again:", lock.acquire(False))
        lock.release()
        try:
            q.get(timeout=0.2)
        except queue.Empty:
            print("managed queue get(timeout): queue.Empty")
        q.put("x")
        print("qsize:", q.qsize(), "get:", q.get(), "empty:", q.empty())
        rl = m.RLock()
        print("rlock:", rl.acquire(), rl.acquire())
        rl.release()
        rl.release()
