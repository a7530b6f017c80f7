# Thread subclass overriding run(); result attribute, custom __init__ and name.
import threading


class Squarer(threading.Thread):
    def __init__(self, n):
        super().__init__(name=f"sq-{n}")
        self.n = n
        self.result = None

    def run(self):
        self.result = self.n * self.n


class WithTarget(threading.Thread):
    def run(self):
        print("subclass run called, target ignored:", self._target is not None)


threads = [Squarer(n) for n in range(5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
    print(t.name, t.result)

w = WithTarget(target=print, args=("never",))
w.start()
w.join()
print("done")
