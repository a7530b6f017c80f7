# Worker names: "ThreadPoolExecutor-K_M" and thread_name_prefix, forced by a barrier.
import threading
from concurrent.futures import ThreadPoolExecutor


def name():
    return threading.current_thread().name


with ThreadPoolExecutor(max_workers=1) as ex:
    print(ex.submit(name).result(), ex.submit(name).result())
with ThreadPoolExecutor(max_workers=1, thread_name_prefix="worker") as ex:
    print(ex.submit(name).result())
barrier = threading.Barrier(3)


def meet():
    barrier.wait()
    return name()


with ThreadPoolExecutor(max_workers=3, thread_name_prefix="trio") as ex:
    futs = [ex.submit(meet) for _ in range(3)]
    print(sorted(f.result() for f in futs))
with ThreadPoolExecutor(max_workers=1) as ex:
    print(ex.submit(name).result())
print("main:", name())
