# An uncaught exception from Future.result(): concurrent.futures.process._RemoteTraceback on stderr.
from concurrent.futures import ProcessPoolExecutor


def convert(s):
    return float(s) * 2


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as ex:
        print(ex.submit(convert, "1.5").result())
        fut = ex.submit(convert, "one point five")
        print(fut.result())
    print("not reached")
