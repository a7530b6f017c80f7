# shutdown(wait=True) waits for queued work; submit after shutdown raises RuntimeError.
from concurrent.futures import ThreadPoolExecutor
import threading

log = []
lock = threading.Lock()


def task(n):
    with lock:
        log.append(n)
    return n


ex = ThreadPoolExecutor(max_workers=2)
futs = [ex.submit(task, n) for n in range(6)]
ex.shutdown(wait=True)
print("logged:", sorted(log))
print("all done:", all(f.done() for f in futs))
try:
    ex.submit(task, 99)
except RuntimeError as e:
    print("RuntimeError:", e)
ex.shutdown()
print("second shutdown is fine")
ex2 = ThreadPoolExecutor(max_workers=1)
f = ex2.submit(task, 7)
ex2.shutdown(wait=False)
print("result after shutdown(wait=False):", f.result())
try:
    ThreadPoolExecutor(max_workers=0)
except ValueError as e:
    print("ValueError:", e)
