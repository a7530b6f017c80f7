# Manager Namespace, Value and Array: attributes set by a child are seen by the parent.
import multiprocessing as mp


def child(ns, val, arr):
    ns.seen = ns.start * 2
    ns.tags = ns.tags + ["child"]
    val.value = val.value + 5
    arr[0] = 99


if __name__ == "__main__":
    with mp.Manager() as m:
        ns = m.Namespace(start=21, tags=["parent"])
        val = m.Value("i", 10)
        arr = m.Array("i", [1, 2, 3])
        print("before:", ns.start, ns.tags, val.value, list(arr))
        p = mp.Process(target=child, args=(ns, val, arr))
        p.start()
        p.join()
        print("after:", ns.seen, ns.tags, val.value, list(arr))
        ns.tags.append("lost")
        print("in-place change of an attribute is lost:", ns.tags)
        try:
            ns.missing
        except AttributeError as e:
            print("AttributeError:", e)
        print("repr starts:", repr(ns).split(" at ")[0])
