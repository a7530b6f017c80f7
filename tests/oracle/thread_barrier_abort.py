# Barrier.abort breaks waiters with BrokenBarrierError; reset makes it usable again.
import threading

b = threading.Barrier(3)
errors = []
lock = threading.Lock()


def worker(i):
    try:
        b.wait()
    except threading.BrokenBarrierError as e:
        with lock:
            errors.append((i, type(e).__name__))


ts = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
for t in ts:
    t.start()
while b.n_waiting < 2:
    threading.Event().wait(0.001)
b.abort()
for t in ts:
    t.join()
print("errors:", sorted(errors))
print("broken:", b.broken)
try:
    b.wait()
except threading.BrokenBarrierError:
    print("wait on broken barrier raises")
b.reset()
print("after reset broken:", b.broken)
ts = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
for t in ts:
    t.start()
print("main index is int:", isinstance(b.wait(), int))
for t in ts:
    t.join()
print("errors unchanged:", len(errors))
