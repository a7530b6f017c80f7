# Executor.map returns results in input order, zips several iterables, re-raises on iteration.
from concurrent.futures import ThreadPoolExecutor
import threading

gate = threading.Event()


def slow_first(x):
    if x == 0:
        gate.wait()  # the first item finishes last
    else:
        if x == 4:
            gate.set()
    return x * 2


with ThreadPoolExecutor(max_workers=5) as ex:
    print(list(ex.map(slow_first, range(5))))
    print(list(ex.map(pow, [2, 3, 4], [5, 2])))
    print(list(ex.map(str.upper, ["a", "b"], chunksize=2)))
    it = ex.map(lambda x: 10 // x, [5, 2, 0, 1])
    print(next(it), next(it))
    try:
        next(it)
    except ZeroDivisionError as e:
        print("ZeroDivisionError:", e)
print("empty map:", list(ThreadPoolExecutor(1).map(abs, [])))
