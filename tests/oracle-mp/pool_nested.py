# A Pool inside a child process works; a Pool worker (daemonic) may not start processes of its own.
import multiprocessing as mp


def square(x):
    return x * x


def spawn_in_worker(x):
    p = mp.Process(target=square, args=(x,))
    p.start()
    p.join()
    return x


def child(q):
    with mp.Pool(2) as pool:
        q.put(pool.map(square, range(6)))


if __name__ == "__main__":
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,))
    p.start()
    print("pool in a child:", q.get())
    p.join()
    print("child exitcode:", p.exitcode)
    with mp.Pool(1) as pool:
        try:
            pool.apply(spawn_in_worker, (3,))
        except AssertionError as e:
            print("process from a pool worker:", e)
