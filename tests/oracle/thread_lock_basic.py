# Lock API: acquire/release, locked(), non-blocking and timed acquire, error messages.
import threading

lock = threading.Lock()
print("locked:", lock.locked())
print("acquire:", lock.acquire())
print("locked:", lock.locked())
print("non-blocking:", lock.acquire(blocking=False))
print("timeout 0.05:", lock.acquire(timeout=0.05))
print("positional False:", lock.acquire(False))
lock.release()
print("locked after release:", lock.locked())
try:
    lock.release()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    lock.acquire(False, 1)
except ValueError as e:
    print("ValueError:", e)
try:
    lock.acquire(timeout=-5)
except ValueError as e:
    print("ValueError:", e)
with lock:
    print("inside with:", lock.locked())
print("after with:", lock.locked())
try:
    with lock:
        raise KeyError("boom")
except KeyError as e:
    print("KeyError", e, "released:", not lock.locked())
