# Pool.map over 1,000 items with 4 workers.
import multiprocessing as mp


def cuadrado(x):
    return x * x


if __name__ == "__main__":
    with mp.Pool(4) as pool:
        print(sum(pool.map(cuadrado, range(1000))))
