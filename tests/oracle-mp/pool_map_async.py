# Pool.map_async and starmap_async: callback gets the whole list, error_callback the first exception.
import multiprocessing as mp


def cube(x):
    return x ** 3


def checked(x):
    if x == 5:
        raise ArithmeticError("five is not allowed: %d" % x)
    return x


if __name__ == "__main__":
    got = []
    with mp.Pool(processes=2) as pool:
        r = pool.map_async(cube, range(7), callback=got.append)
        print("map_async get:", r.get(timeout=30))
        r.wait()
        print("ready/successful:", r.ready(), r.successful())
        r2 = pool.starmap_async(pow, [(2, 5), (3, 2)], callback=got.append)
        print("starmap_async:", r2.get())
        errs = []
        r3 = pool.map_async(checked, range(8), chunksize=1, error_callback=errs.append)
        r3.wait()
        try:
            r3.get()
        except ArithmeticError as e:
            print("map_async error:", e)
        print("successful:", r3.successful())
        pool.close()
        pool.join()
    print("callback lists:", got)
    print("error_callback got:", [type(e).__name__ for e in errs])
