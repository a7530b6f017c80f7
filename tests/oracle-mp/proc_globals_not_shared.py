# Globals are copied at fork: the child sees the parent's values, its changes stay in the child.
import multiprocessing as mp

counter = 0
items = ["initial"]
config = {"mode": "import"}


def child(q):
    global counter
    q.put(("child sees", counter, list(items), dict(config)))
    counter += 100
    items.append("from child")
    config["mode"] = "child"
    q.put(("child changed", counter, list(items), dict(config)))


if __name__ == "__main__":
    counter = 5
    items.append("before start")
    config["mode"] = "parent"
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,))
    p.start()
    print(q.get())
    print(q.get())
    p.join()
    print("parent still has", counter, items, config)
    counter += 1
    items.append("after first child")
    p2 = mp.Process(target=child, args=(q,))
    p2.start()
    print(q.get())
    print(q.get())
    p2.join()
    print("parent finally has", counter, items, config)
