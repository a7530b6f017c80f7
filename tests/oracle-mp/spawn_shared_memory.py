# spawn: Value, Array and a Lock passed to children that start from
# scratch; the shared memory and the semaphores are the parent's.
import multiprocessing as mp


def suma(total, lock, n):
    for _ in range(n):
        with lock:
            total.value += 1


def llena(arr, k):
    for i in range(len(arr)):
        arr[i] = arr[i] * k + i


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    total = ctx.Value("i", 0)
    lock = ctx.Lock()
    ps = [ctx.Process(target=suma, args=(total, lock, 50)) for _ in range(3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("total", total.value)
    arr = ctx.Array("d", [1.0, 2.0, 3.0])
    p = ctx.Process(target=llena, args=(arr, 10))
    p.start()
    p.join()
    print(arr[:])
    v = ctx.Value("i", 5, lock=False)
    print(type(v).__name__, v.value)
