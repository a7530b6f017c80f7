# Pool.map, starmap, imap (ordered) and imap_unordered (sorted by the parent), with chunksizes.
import multiprocessing as mp


def square(x):
    return x * x


def power(base, exp):
    return base ** exp


if __name__ == "__main__":
    with mp.Pool(processes=3) as pool:
        print("map:", pool.map(square, range(10)))
        print("map chunksize=4:", pool.map(square, range(10), chunksize=4))
        print("map empty:", pool.map(square, []))
        print("starmap:", pool.starmap(power, [(2, 10), (3, 3), (10, 0), (7, 2)]))
        print("imap:", list(pool.imap(square, range(8))))
        print("imap chunksize=3:", list(pool.imap(square, range(8), chunksize=3)))
        print("imap_unordered sorted:", sorted(pool.imap_unordered(square, range(8))))
        print("imap_unordered chunksize=2 sorted:",
              sorted(pool.imap_unordered(square, range(9), chunksize=2)))
        it = pool.imap(square, [5, 6])
        print("next:", next(it), it.next(timeout=30))
        try:
            next(it)
        except StopIteration:
            print("StopIteration")
        print("map over a generator:", pool.map(len, (("a" * i) for i in range(5))))
