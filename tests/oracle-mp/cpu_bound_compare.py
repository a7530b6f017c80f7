# The classic CPU-bound comparison (serial, Process per chunk, Pool, executor) printing only the results.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor


def count_primes(lo, hi):
    n = 0
    for k in range(max(lo, 2), hi):
        if all(k % d for d in range(2, int(k ** 0.5) + 1)):
            n += 1
    return n


def into(q, lo, hi):
    q.put((lo, count_primes(lo, hi)))


if __name__ == "__main__":
    limit, parts = 40000, 4
    bounds = [(i * limit // parts, (i + 1) * limit // parts) for i in range(parts)]
    serial = [count_primes(lo, hi) for lo, hi in bounds]
    print("serial:", serial, "total", sum(serial))
    q = mp.Queue()
    procs = [mp.Process(target=into, args=(q, lo, hi)) for lo, hi in bounds]
    for p in procs:
        p.start()
    by_proc = [n for _, n in sorted(q.get() for _ in procs)]
    for p in procs:
        p.join()
    print("processes:", by_proc, "same:", by_proc == serial)
    with mp.Pool(processes=4) as pool:
        pooled = pool.starmap(count_primes, bounds)
    print("pool:", pooled, "same:", pooled == serial)
    with ProcessPoolExecutor(max_workers=4) as ex:
        executed = list(ex.map(count_primes, *zip(*bounds)))
    print("executor:", executed, "same:", executed == serial)
