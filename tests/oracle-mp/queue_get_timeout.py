# Queue.get with a timeout or without blocking raises queue.Empty; a blocking get waits for a child.
import multiprocessing as mp
import queue
import time


def late_put(q, go):
    go.wait()
    time.sleep(0.3)
    q.put("late item")


if __name__ == "__main__":
    q = mp.Queue()
    for how, call in [("get(timeout=0.2)", lambda: q.get(timeout=0.2)),
                      ("get_nowait()", q.get_nowait),
                      ("get(block=False)", lambda: q.get(block=False)),
                      ("get(True, 0.01)", lambda: q.get(True, 0.01))]:
        try:
            call()
        except queue.Empty as e:
            print(how, "raised", type(e).__name__, "is queue.Empty:", type(e) is queue.Empty)
    go = mp.Event()
    p = mp.Process(target=late_put, args=(q, go))
    p.start()
    go.set()
    print("blocking get:", q.get(timeout=30))
    p.join()
    try:
        q.get(timeout=0.05)
    except queue.Empty:
        print("empty again")
