# An uncaught exception from Pool.map: the traceback shows the remote one ("multiprocessing.pool.RemoteTraceback").
import multiprocessing as mp


def lookup(key):
    table = {"a": 1, "b": 2}
    return table[key]


if __name__ == "__main__":
    with mp.Pool(processes=2) as pool:
        print(pool.map(lookup, ["a", "b"]))
        print(pool.map(lookup, ["a", "zzz", "b"], chunksize=3))
    print("not reached")
