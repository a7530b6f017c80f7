# Barrier with a timeout: too few parties arrive, every waiter gets BrokenBarrierError.
import threading

b = threading.Barrier(3, timeout=0.05)
out = []
lock = threading.Lock()


def worker(i):
    try:
        b.wait()
        r = "passed"
    except threading.BrokenBarrierError:
        r = "broken"
    with lock:
        out.append((i, r))


ts = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(out))
print("broken:", b.broken)
b2 = threading.Barrier(2)
try:
    b2.wait(timeout=0.02)
except threading.BrokenBarrierError as e:
    print("single waiter timeout:", type(e).__mro__[1].__name__, b2.broken)
