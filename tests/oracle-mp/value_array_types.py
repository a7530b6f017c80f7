# Shared ctypes: char arrays (.value/.raw), double arrays, c_bool, slices written by a child.
import ctypes
import multiprocessing as mp


def child(name, nums, flag, big):
    name.value = b"changed"
    nums[1:3] = [10.0, 20.0]
    flag.value = True
    for i in range(0, len(big), 1000):
        big[i] = i // 1000


if __name__ == "__main__":
    name = mp.Array("c", 16)
    name.value = b"initial"
    nums = mp.Array(ctypes.c_double, [1.0, 2.0, 3.0, 4.0])
    flag = mp.Value(ctypes.c_bool, False)
    big = mp.Array("q", 100000)
    print(name.value, name.raw[:10], nums[:], flag.value)
    p = mp.Process(target=child, args=(name, nums, flag, big))
    p.start()
    p.join()
    print(name.value, nums[:], flag.value, sum(big), big[99000])
    try:
        name.value = b"x" * 20
    except ValueError as e:
        print("too long:", e)
    try:
        nums[10] = 1
    except IndexError as e:
        print("index:", e)
    w = mp.Array("u", "hi there")
    print("unicode array:", w[:], len(w))
