# Three producer and two consumer processes on one Queue with sentinels; results sorted by the parent.
import multiprocessing as mp


def producer(q, pid, n):
    for i in range(n):
        q.put((pid, i))


def consumer(q, results, cid):
    count = 0
    while True:
        item = q.get()
        if item is None:
            break
        pid, i = item
        results.put((pid, i, pid * 100 + i * i))
        count += 1
    results.put(("consumer done",))


if __name__ == "__main__":
    q, results = mp.Queue(), mp.Queue()
    consumers = [mp.Process(target=consumer, args=(q, results, c)) for c in range(2)]
    producers = [mp.Process(target=producer, args=(q, p, 4)) for p in range(3)]
    for proc in consumers + producers:
        proc.start()
    for proc in producers:
        proc.join()
    for _ in consumers:
        q.put(None)
    out = [results.get() for _ in range(12 + len(consumers))]
    for proc in consumers:
        proc.join()
    done = [o for o in out if o[0] == "consumer done"]
    items = sorted(o for o in out if o[0] != "consumer done")
    for it in items:
        print(it)
    print(done)
    print("exitcodes:", [p.exitcode for p in consumers + producers])
