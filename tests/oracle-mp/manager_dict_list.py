# Manager dict and list proxies shared with children: updates are visible in the parent.
import multiprocessing as mp


def fill(d, lst, i):
    d[i] = i * i
    d["k%d" % i] = str(i)
    lst.append(i)
    lst.extend([i * 10])


if __name__ == "__main__":
    with mp.Manager() as m:
        d = m.dict({"start": True})
        lst = m.list(["head"])
        print("types:", type(d).__name__, type(lst).__name__)
        ps = [mp.Process(target=fill, args=(d, lst, i)) for i in range(4)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        print("dict:", sorted(d.items(), key=repr))
        print("len:", len(d), "keys has 3:", 3 in d, "get missing:", d.get("zz", "default"))
        print("list sorted:", sorted(lst, key=repr), "len", len(lst))
        print("list[0]:", lst[0], "count head:", lst.count("head"))
        plain = d.copy()
        print("copy type:", type(plain).__name__)
        lst.sort(key=repr)
        print("sorted in the manager:", lst[:])
        del d["start"]
        d.update(x=1)
        print(sorted(d.keys(), key=repr))
        try:
            d["missing"]
        except KeyError as e:
            print("KeyError through proxy:", e)
