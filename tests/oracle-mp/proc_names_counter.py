# Process names: one identity counter for plain, subclassed, context and nested processes.
import multiprocessing as mp


class Worker(mp.Process):
    pass


def nested(q):
    c = mp.Process(target=report, args=(q,))
    c.start()
    c.join()
    q.put(("nested parent", mp.current_process().name, c.name))


def report(q):
    q.put(("child", mp.current_process().name, mp.current_process()._identity))


if __name__ == "__main__":
    a = mp.Process(target=print)
    b = mp.Process(target=print)
    print("constructed:", a.name, b.name)
    w = Worker()
    print("subclass:", w.name)
    f = mp.get_context("fork").Process()
    print("fork context:", f.name)
    named = mp.Process(name="explicit")
    print("explicit:", named.name)
    after = mp.Process()
    print("after explicit:", after.name)
    q = mp.Queue()
    n = mp.Process(target=nested, args=(q,))
    n.start()
    first = q.get()
    second = q.get()
    n.join()
    print(first)
    print(second)
    n.name = "renamed"
    print("renamed:", n.name, n.exitcode)
