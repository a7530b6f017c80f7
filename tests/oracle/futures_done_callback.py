# add_done_callback: runs when the future completes, or at once if it is already done.
import threading
from concurrent.futures import ThreadPoolExecutor

calls = []
lock = threading.Lock()


def cb(tag):
    def inner(fut):
        with lock:
            calls.append((tag, fut.result() if not fut.cancelled() else "cancelled"))
    return inner


release = threading.Event()
with ThreadPoolExecutor(max_workers=1) as ex:
    f = ex.submit(lambda: (release.wait(), 42)[1])
    f.add_done_callback(cb("first"))
    f.add_done_callback(cb("second"))
    g = ex.submit(int, "5")
    g.add_done_callback(cb("g"))
    print("pending callbacks ran:", calls)
    print("cancel g:", g.cancel())
    release.set()
print(sorted(calls))
f.add_done_callback(cb("late"))
print("late ran immediately:", calls[-1])

