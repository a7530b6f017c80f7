# Event: set/clear/is_set, wait with timeout returning False, wait returning True.
import threading

e = threading.Event()
print("initial:", e.is_set())
print("wait timeout:", e.wait(0.05))
print("wait 0:", e.wait(0))
e.set()
print("after set:", e.is_set(), e.wait(), e.wait(0.01))
e.clear()
print("after clear:", e.is_set(), e.wait(0.01))

ready = threading.Event()
results = []


def waiter(i):
    ready.wait()
    results.append(i)


ts = [threading.Thread(target=waiter, args=(i,)) for i in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join(0.01)
print("still waiting:", [t.is_alive() for t in ts], results)
ready.set()
for t in ts:
    t.join()
print("released:", sorted(results))
