# RLock: reentrancy, return values, releasing too often or from another thread.
import threading

r = threading.RLock()
print("acquire 1:", r.acquire())
print("acquire 2:", r.acquire())
print("acquire nb:", r.acquire(blocking=False))
r.release()
r.release()
r.release()
try:
    r.release()
except RuntimeError as e:
    print("RuntimeError:", e)

errors = []


def other():
    try:
        r.release()
    except RuntimeError as e:
        errors.append(str(e))
    errors.append(("other acquire nb", r.acquire(blocking=False)))
    errors.append(("other acquire timeout", r.acquire(timeout=0.05)))


with r:
    with r:
        t = threading.Thread(target=other)
        t.start()
        t.join()
for e in errors:
    print(e)


def recurse(n):
    with r:
        return 0 if n == 0 else n + recurse(n - 1)


print("recursive sum:", recurse(10))
