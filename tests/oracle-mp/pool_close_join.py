# Pool close/join, worker names from an initializer, and using a closed or terminated pool.
import multiprocessing as mp

names = None


def init(q, tag):
    q.put((mp.current_process().name, tag, mp.current_process().daemon))


def ident(x):
    return x


if __name__ == "__main__":
    q = mp.Queue()
    pool = mp.Pool(processes=3, initializer=init, initargs=(q, "init"))
    print(sorted(q.get() for _ in range(3)))
    print("map:", pool.map(ident, "abc"))
    pool.close()
    try:
        pool.apply(ident, (1,))
    except ValueError as e:
        print("apply after close:", e)
    pool.join()
    print("joined")
    p2 = mp.Pool(2)
    print(p2.map(ident, [1, 2]))
    p2.terminate()
    try:
        p2.map(ident, [1])
    except ValueError as e:
        print("map after terminate:", e)
    p2.join()
    p3 = mp.Pool(1)
    try:
        p3.join()
    except ValueError as e:
        print("join while running:", e)
    p3.close()
    p3.join()
    try:
        mp.Pool(0)
    except ValueError as e:
        print("Pool(0):", e)
