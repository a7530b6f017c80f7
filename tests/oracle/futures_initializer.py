# initializer/initargs run once per worker; a failing initializer breaks the pool.
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.thread import BrokenThreadPool

local = threading.local()
inits = []


def init(tag):
    local.tag = tag
    inits.append(tag)


def read(n):
    return f"{local.tag}:{n}"


with ThreadPoolExecutor(max_workers=1, initializer=init, initargs=("ready",)) as ex:
    print([ex.submit(read, n).result() for n in range(3)])
print("initializer calls:", inits)


def bad_init():
    raise OSError("init failed")


ex = ThreadPoolExecutor(max_workers=1, initializer=bad_init)
f = ex.submit(read, 1)
try:
    f.result()
except BrokenThreadPool as e:
    print("BrokenThreadPool:", e)
try:
    ex.submit(read, 2)
except BrokenThreadPool as e:
    print("submit after break:", e)
ex.shutdown()
