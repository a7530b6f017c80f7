# ProcessPoolExecutor: a worker exception re-raised by result(), with a _RemoteTraceback cause.
from concurrent.futures import ProcessPoolExecutor
import concurrent.futures.process as cfp


def fail(kind):
    if kind == "zero":
        return 1 / 0
    if kind == "custom":
        raise LookupError("custom lookup failure")
    return "fine"


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as ex:
        f = ex.submit(fail, "zero")
        try:
            f.result()
        except ZeroDivisionError as e:
            print("result raised:", repr(e))
            print("cause is _RemoteTraceback:", type(e.__cause__) is cfp._RemoteTraceback)
            print(e.__cause__.tb)
        g = ex.submit(fail, "custom")
        print("exception():", repr(g.exception()))
        print("ok task:", ex.submit(fail, "ok").result())
        it = ex.map(fail, ["ok", "custom", "ok"])
        print(next(it))
        try:
            next(it)
        except LookupError as e:
            print("map raised:", e)
