# JoinableQueue: worker processes call task_done, the parent's join() returns when all are done.
import multiprocessing as mp


def worker(q, results):
    while True:
        n = q.get()
        if n is None:
            q.task_done()
            break
        results.put((n, n ** 3))
        q.task_done()


if __name__ == "__main__":
    q = mp.JoinableQueue()
    results = mp.Queue()
    workers = [mp.Process(target=worker, args=(q, results)) for _ in range(3)]
    for w in workers:
        w.start()
    for n in range(10):
        q.put(n)
    q.join()
    print("all 10 tasks done")
    print(sorted(results.get() for _ in range(10)))
    for w in workers:
        q.put(None)
    q.join()
    print("sentinels done")
    for w in workers:
        w.join()
    print("exitcodes:", [w.exitcode for w in workers])
    try:
        q.task_done()
    except ValueError as e:
        print("extra task_done:", e)
