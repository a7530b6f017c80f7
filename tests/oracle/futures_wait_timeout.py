# wait(timeout) and FIRST_EXCEPTION; result(timeout) raises TimeoutError.
import threading
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, TimeoutError, wait

release = threading.Event()


def blocked():
    release.wait()
    return "late"


def boom():
    raise RuntimeError("boom")


with ThreadPoolExecutor(max_workers=2) as ex:
    b = ex.submit(blocked)
    done, not_done = wait([b], timeout=0.05)
    print("after timeout:", len(done), len(not_done))
    try:
        b.result(timeout=0.03)
    except TimeoutError as e:
        print("TimeoutError is builtin:", TimeoutError is __builtins__.TimeoutError, repr(e))
    e = ex.submit(boom)
    done, not_done = wait([b, e], return_when=FIRST_EXCEPTION)
    print("first exception:", [repr(f.exception()) for f in done], len(not_done))
    release.set()
print("late result:", b.result())
