# Barrier: parties, action runs once per cycle, wait() indices, reuse across cycles.
import threading

actions = []
lock = threading.Lock()
indices = []

b = threading.Barrier(3, action=lambda: actions.append("action"))
print("parties:", b.parties, "waiting:", b.n_waiting, "broken:", b.broken)


def worker(name):
    for cycle in range(2):
        i = b.wait()
        with lock:
            indices.append((cycle, i))


ts = [threading.Thread(target=worker, args=(n,)) for n in "abc"]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("actions:", actions)
print("indices:", sorted(indices))
print("waiting after:", b.n_waiting, "broken:", b.broken)
