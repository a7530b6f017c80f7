# Value and Array with their default lock: get_lock() makes read-modify-write safe across processes.
import multiprocessing as mp


def add(counter, arr, idx, n):
    for _ in range(n):
        with counter.get_lock():
            counter.value += 1
    with arr.get_lock():
        for i in range(len(arr)):
            arr[i] += idx + 1


if __name__ == "__main__":
    counter = mp.Value("i", 0)
    arr = mp.Array("i", 4)
    print("initial:", counter.value, arr[:], type(counter).__name__, type(arr).__name__)
    procs = [mp.Process(target=add, args=(counter, arr, i, 300)) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print("counter:", counter.value)
    print("array:", arr[:])
    lock = counter.get_lock()
    print("lock type:", type(lock).__name__, "acquire:", lock.acquire(), "again:", lock.acquire())
    lock.release()
    lock.release()
    d = mp.Value("d", 1.25)
    a = mp.Array("d", [0.5, 1.5, 2.5])
    print(d.value, a[:], a[1:], len(a), list(a))
    c = mp.Value("i", 7, lock=mp.Lock())
    print("custom lock type:", type(c.get_lock()).__name__, c.value)
