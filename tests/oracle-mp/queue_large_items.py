# Large items through a Queue: the parent gets them before joining the child (whose feeder must drain).
import hashlib
import multiprocessing as mp


def producer(q):
    for size in (1, 70000, 1 << 20, 3 * 1024 * 1024 + 7):
        q.put(bytes(i % 251 for i in range(size)))
    q.put(list(range(200000)))
    q.put("end")


if __name__ == "__main__":
    q = mp.Queue()
    p = mp.Process(target=producer, args=(q,))
    p.start()
    while True:
        item = q.get()
        if item == "end":
            break
        if isinstance(item, bytes):
            print("bytes", len(item), hashlib.sha256(item).hexdigest()[:16])
        else:
            print("list", len(item), sum(item))
    p.join()
    print("exitcode:", p.exitcode)
