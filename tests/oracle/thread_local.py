# threading.local: per-thread attributes, subclass __init__ runs once per thread.
import threading

data = threading.local()
data.value = "main"
seen = {}


class Counter(threading.local):
    def __init__(self, start):
        self.n = start
        inits.append(start)


inits = []
ctr = Counter(10)


def worker(name):
    seen[name, "has value"] = hasattr(data, "value")
    data.value = name
    ctr.n += len(name)
    seen[name, "value"] = data.value
    seen[name, "ctr"] = ctr.n


for name in ("ab", "cdef"):
    t = threading.Thread(target=worker, args=(name,))
    t.start()
    t.join()
for k in sorted(seen):
    print(k, seen[k])
print("main value:", data.value, "main ctr:", ctr.n)
print("inits:", inits)
try:
    threading.local(1)
except TypeError as e:
    print("TypeError:", e)
