# Default and explicit thread names: "Thread-N (target)", plain "Thread-N", renames.
import functools
import threading


def worker():
    pass


class Sub(threading.Thread):
    def run(self):
        pass


a = threading.Thread(target=worker)
b = threading.Thread(target=worker, name="custom")
c = threading.Thread(target=functools.partial(worker))
d = Sub()
e = threading.Timer(10, worker)
f = threading.Thread(target=lambda: None)
for t in (a, b, c, d, e, f):
    print(t.name)
a.name = "renamed"
print(a.name, a.getName() if hasattr(a, "getName") else "")
print(threading.main_thread().name)
print(threading.current_thread().name)
g = threading.Thread(target=worker)
print(g.name)
for t in (a, b, c, d, f, g):
    t.start()
    t.join()
print("repr starts with:", repr(a).split(" ")[0])
