# Queue.qsize/empty where they are deterministic: after the parent's own puts and gets, after a child exits.
import multiprocessing as mp


def fill(q, n):
    for i in range(n):
        q.put(i * 10)


if __name__ == "__main__":
    q = mp.Queue()
    print("new queue: empty", q.empty(), "qsize", q.qsize())
    for x in "xyz":
        q.put(x)
    print("after 3 puts: qsize", q.qsize())
    print(q.get(), q.get(), q.get())
    print("drained: qsize", q.qsize(), "empty", q.empty())
    p = mp.Process(target=fill, args=(q, 4))
    p.start()
    p.join()
    print("after child put 4: qsize", q.qsize(), "empty", q.empty())
    got = [q.get() for _ in range(4)]
    print("got", got, "qsize", q.qsize(), "empty", q.empty())
