# An exception from a worker re-raised by result() and left uncaught: traceback, exit 1.
from concurrent.futures import ThreadPoolExecutor


def lookup(table, key):
    return table[key]


def job():
    return lookup({"a": 1}, "b")


with ThreadPoolExecutor(max_workers=1) as ex:
    fut = ex.submit(job)
    print("submitted")
    value = fut.result()
    print("never printed", value)
