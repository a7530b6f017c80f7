# Pool as a context manager: __exit__ terminates the pool, later use raises ValueError.
import multiprocessing as mp


def double(x):
    return 2 * x


if __name__ == "__main__":
    with mp.Pool(processes=2) as pool:
        print(pool.map(double, range(5)))
        print(pool.apply(double, ("ab",)))
        print("inside: state", pool._state)
    print("after with: state", pool._state)
    try:
        pool.map(double, [1])
    except ValueError as e:
        print("map after with:", e)
    with mp.Pool(1) as p1, mp.Pool(2) as p2:
        print(p1.map(double, [1, 2]), p2.map(double, [3, 4]))
    try:
        with mp.Pool(2) as pool:
            pool.map(double, [1, 2])
            raise KeyError("escape from with")
    except KeyError as e:
        print("exception through with:", e)
    print("state:", pool._state)
