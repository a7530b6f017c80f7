# Value/Array with lock=False and RawValue/RawArray: no get_lock(), still shared with children.
import ctypes
import multiprocessing as mp


def writer(v, arr, rv, ra):
    v.value = 3.5
    for i in range(len(arr)):
        arr[i] = i * i
    rv.value = -7
    ra[:] = [9, 8, 7]


if __name__ == "__main__":
    v = mp.Value("d", 0.0, lock=False)
    arr = mp.Array("i", range(5), lock=False)
    rv = mp.RawValue(ctypes.c_long, 1)
    ra = mp.RawArray("h", 3)
    print("types:", type(v).__name__, type(arr).__name__, type(rv).__name__)
    print("before:", v.value, arr[:], rv.value, ra[:])
    for obj in (v, arr, rv):
        print("has get_lock:", hasattr(obj, "get_lock"))
    p = mp.Process(target=writer, args=(v, arr, rv, ra))
    p.start()
    p.join()
    print("after:", v.value, arr[:], rv.value, list(ra))
    s = mp.Array("c", b"hello world", lock=False)
    print(s.value, s.raw, len(s))
    try:
        mp.Value("i", 0, lock="yes")
    except AttributeError as e:
        print("bad lock argument:", e)
