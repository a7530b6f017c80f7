# wait(FIRST_COMPLETED) returns once one future is done; the blocked ones stay pending.
import threading
from concurrent.futures import FIRST_COMPLETED, ALL_COMPLETED, ThreadPoolExecutor, wait

release = threading.Event()


def blocked(n):
    release.wait()
    return n


def quick():
    return "quick"


with ThreadPoolExecutor(max_workers=3) as ex:
    slow = [ex.submit(blocked, n) for n in range(2)]
    fast = ex.submit(quick)
    done, not_done = wait(slow + [fast], return_when=FIRST_COMPLETED)
    print("done:", [f.result() for f in done])
    print("not done:", len(not_done), all(f in not_done for f in slow))
    release.set()
    done, not_done = wait(slow + [fast], return_when=ALL_COMPLETED)
    print("all:", sorted(str(f.result()) for f in done), len(not_done))
print(FIRST_COMPLETED, ALL_COMPLETED)
