# A Process subclass overriding __init__ and run(), returning results through a Queue.
import multiprocessing as mp


class Squarer(mp.Process):
    def __init__(self, numbers, out):
        super().__init__()
        self.numbers = numbers
        self.out = out

    def run(self):
        total = 0
        for n in self.numbers:
            total += n * n
        self.out.put((self.name, total))
        print(self.name, "ran with", self.numbers)


class Failing(mp.Process):
    def run(self):
        raise RuntimeError("run failed in " + self.name)


if __name__ == "__main__":
    out = mp.Queue()
    workers = [Squarer(list(range(i, i + 3)), out) for i in range(3)]
    for w in workers:
        w.start()
        w.join()
    results = sorted(out.get() for _ in workers)
    for r in results:
        print(r)
    print([w.exitcode for w in workers])
    f = Failing()
    f.start()
    f.join()
    print(f.name, "exitcode", f.exitcode)
    s = Squarer([5], out)
    s.run()
    print("run() in the parent:", out.get())
