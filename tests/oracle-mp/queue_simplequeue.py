# SimpleQueue: put/get/empty (put writes at once, so empty() is exact), close, use from a child.
import multiprocessing as mp


def worker(inq, outq):
    while True:
        job = inq.get()
        if job is None:
            break
        outq.put(job.upper())
    outq.put("worker stopping")


if __name__ == "__main__":
    sq = mp.SimpleQueue()
    print("empty at start:", sq.empty())
    sq.put("first")
    print("empty after put:", sq.empty())
    print("get:", sq.get())
    print("empty after get:", sq.empty())
    inq, outq = mp.SimpleQueue(), mp.SimpleQueue()
    p = mp.Process(target=worker, args=(inq, outq))
    p.start()
    for w in ["alpha", "beta", "gamma"]:
        inq.put(w)
        print(outq.get())
    inq.put(None)
    print(outq.get())
    p.join()
    print("outq empty after worker exit:", outq.empty())
    sq.close()
    try:
        sq.get()
    except (OSError, ValueError) as e:
        print("get after close:", type(e).__name__)
