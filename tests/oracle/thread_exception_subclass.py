# Uncaught exception inside a Thread subclass's run(): traceback has no _target frame.
import threading


class Worker(threading.Thread):
    def __init__(self, items):
        super().__init__(name="Worker-items")
        self.items = items

    def run(self):
        total = 0
        for item in self.items:
            total += self.convert(item)
        print("total", total)

    def convert(self, item):
        return int(item)


ok = Worker(["1", "2"])
ok.start()
ok.join()
bad = Worker(["3", "x4"])
bad.start()
bad.join()
print("finished")
