# A Pool task that raises: the exception is re-raised in the parent with a RemoteTraceback as its cause.
import multiprocessing as mp
import multiprocessing.pool


def parse(s):
    return int(s)


def check(x):
    if x < 0:
        raise ValueError("negative: %d" % x)
    return x


if __name__ == "__main__":
    with mp.Pool(processes=2) as pool:
        try:
            pool.apply(parse, ("12x",))
        except ValueError as e:
            print("apply raised:", repr(e))
            cause = e.__cause__
            print("cause type:", type(cause).__name__, type(cause) is multiprocessing.pool.RemoteTraceback)
            print(str(cause))
        try:
            pool.map(check, [1, 2, -3, 4], chunksize=1)
        except ValueError as e:
            print("map raised:", e)
        it = pool.imap(check, [5, -6, 7])
        print(next(it))
        try:
            next(it)
        except ValueError as e:
            print("imap raised:", e)
        print(next(it))
        print("pool still works:", pool.map(check, [8, 9]))
