# Targets that are lambdas, closures, bound methods and functools.partial (fork needs no pickling).
import functools
import multiprocessing as mp


class Counter:
    def __init__(self, start):
        self.start = start

    def run_into(self, q, step):
        q.put(("bound method", self.start + step))


def make_closure(q, secret):
    def inner():
        q.put(("closure", secret))
    return inner


def add(q, a, b):
    q.put(("partial", a + b))


if __name__ == "__main__":
    q = mp.Queue()
    targets = [
        (lambda: q.put(("lambda", 1)), ()),
        (make_closure(q, "s3cr3t"), ()),
        (Counter(40).run_into, (q, 2)),
        (functools.partial(add, q, 5), (6,)),
        (q.put, (("builtin bound method", None),)),
    ]
    for target, args in targets:
        p = mp.Process(target=target, args=args)
        p.start()
        print(q.get())
        p.join()
        print("  exitcode", p.exitcode)
