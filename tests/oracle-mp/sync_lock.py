# mp.Lock across processes: a child holds it, the parent's non-blocking and timed acquires fail, then succeed.
import multiprocessing as mp


def holder(lock, held, release):
    with lock:
        held.set()
        release.wait()
        print("child releasing")


def counter(lock, val, n):
    for _ in range(n):
        lock.acquire()
        try:
            val.value += 1
        finally:
            lock.release()


if __name__ == "__main__":
    lock = mp.Lock()
    print(repr(lock).split(" ")[0].startswith("<Lock"), "fresh lock")
    held, release = mp.Event(), mp.Event()
    p = mp.Process(target=holder, args=(lock, held, release))
    p.start()
    held.wait()
    print("acquire(False) while child holds:", lock.acquire(False))
    print("acquire(timeout=0.2) while child holds:", lock.acquire(timeout=0.2))
    release.set()
    print("blocking acquire:", lock.acquire())
    lock.release()
    p.join()
    try:
        lock.release()
    except ValueError as e:
        print("release unlocked:", e)
    val = mp.Value("i", 0, lock=False)
    ps = [mp.Process(target=counter, args=(lock, val, 200)) for _ in range(3)]
    for q in ps:
        q.start()
    for q in ps:
        q.join()
    print("counted:", val.value)
