# Queue(maxsize): full(), put_nowait/put(timeout) raising queue.Full, a producer blocked until a consumer gets.
import multiprocessing as mp
import queue


def consumer(q, n, started):
    started.set()
    for _ in range(n):
        print("consumer got", q.get())


if __name__ == "__main__":
    q = mp.Queue(maxsize=2)
    q.put("a")
    q.put("b")
    print("qsize:", q.qsize(), "full:", q.full())
    try:
        q.put_nowait("c")
    except queue.Full:
        print("put_nowait: queue.Full")
    try:
        q.put("c", timeout=0.2)
    except queue.Full:
        print("put(timeout=0.2): queue.Full")
    try:
        q.put("c", block=False)
    except queue.Full:
        print("put(block=False): queue.Full")
    started = mp.Event()
    p = mp.Process(target=consumer, args=(q, 7, started))
    p.start()
    started.wait()
    for item in "cdefg":
        q.put(item)
    p.join()
    print("after consumer: qsize", q.qsize(), "full", q.full(), "empty", q.empty())
