# Queue.close/join_thread in the child flush its items; using a closed queue raises ValueError.
import multiprocessing as mp


def producer(q):
    for i in range(5):
        q.put({"i": i, "sq": i * i})
    q.close()
    q.join_thread()
    print("producer flushed and closed")
    try:
        q.put("more")
    except ValueError as e:
        print("put after close:", type(e).__name__, "closed" in str(e))


if __name__ == "__main__":
    q = mp.Queue()
    p = mp.Process(target=producer, args=(q,))
    p.start()
    p.join()
    print("producer exitcode", p.exitcode)
    print([q.get() for _ in range(5)])
    q.put("parent item")
    print(q.get())
    q.close()
    q.join_thread()
    for what, call in (("get", q.get), ("put", lambda: q.put(1))):
        try:
            call()
        except ValueError as e:
            print(what, "after close in parent:", type(e).__name__, "closed" in str(e))
    q2 = mp.Queue()
    q2.cancel_join_thread()
    q2.put("kept")
    print("after cancel_join_thread:", q2.get())
