# A ProcessPoolExecutor worker dying abruptly: BrokenProcessPool for its future and for new submits.
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
import os


def die(code):
    os._exit(code)


if __name__ == "__main__":
    ex = ProcessPoolExecutor(max_workers=2)
    print("ok:", ex.submit(abs, -3).result())
    f = ex.submit(die, 7)
    try:
        f.result(timeout=30)
    except BrokenProcessPool as e:
        print("result:", type(e).__name__, "-", e)
    try:
        ex.submit(abs, -1)
    except BrokenProcessPool as e:
        print("submit:", type(e).__name__, "-", e)
    ex.shutdown()
    print("shutdown ok")
