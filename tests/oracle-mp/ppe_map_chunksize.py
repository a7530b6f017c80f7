# ProcessPoolExecutor.map with chunksize, several iterables, timeout, in a with block.
from concurrent.futures import ProcessPoolExecutor


def mul(a, b):
    return a * b


def square(x):
    return x * x


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=3) as ex:
        print(list(ex.map(square, range(10))))
        print(list(ex.map(square, range(10), chunksize=4)))
        print(list(ex.map(mul, range(5), [10, 20, 30], chunksize=2)))
        print(list(ex.map(square, [], chunksize=3)))
        print(list(ex.map(square, range(3), timeout=30)))
        try:
            ex.map(square, range(3), chunksize=0)
        except ValueError as e:
            print("chunksize=0:", e)
        total = sum(ex.map(square, range(1000), chunksize=100))
        print("sum of squares below 1000:", total)
    print("after with")
