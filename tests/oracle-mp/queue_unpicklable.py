# An unpicklable object: Queue's feeder thread prints the error and drops it; Pipe.send raises at once.
import multiprocessing as mp
import threading


def child(q):
    q.put("child item")


if __name__ == "__main__":
    q = mp.Queue()
    q.put(threading.Lock())
    q.put("after the bad one")
    print("got:", q.get(timeout=30))
    a, b = mp.Pipe()
    try:
        a.send(lambda: 1)
    except Exception as e:
        print("Pipe.send raised:", type(e).__name__)
    a.send("still usable")
    print(b.recv())
    p = mp.Process(target=child, args=(q,))
    p.start()
    print(q.get(timeout=30))
    p.join()
    print("exitcode:", p.exitcode)
