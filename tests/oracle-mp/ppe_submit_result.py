# ProcessPoolExecutor.submit/result/done/exception, shutdown(wait=True), submit after shutdown.
from concurrent.futures import ProcessPoolExecutor
import os


def work(x, y=1):
    return (x + y) * 2, os.getpid() != PARENT


if __name__ == "__main__":
    PARENT = os.getpid()
    ex = ProcessPoolExecutor(max_workers=2)
    futs = [ex.submit(work, i, y=i) for i in range(5)]
    for f in futs:
        print(f.result(timeout=30), f.done(), f.exception(), f.cancelled())
    f = ex.submit(pow, 2, 100)
    print("pow:", f.result())
    print("running after result:", f.running())
    ex.shutdown(wait=True)
    print("shut down")
    try:
        ex.submit(work, 1)
    except RuntimeError as e:
        print("submit after shutdown:", e)
    ex.shutdown()
    print("second shutdown is fine")
    try:
        ProcessPoolExecutor(max_workers=0)
    except ValueError as e:
        print("max_workers=0:", e)
