# BoundedSemaphore raises ValueError when released more than acquired.
import threading

b = threading.BoundedSemaphore(2)
b.acquire()
b.release()
try:
    b.release()
except ValueError as e:
    print("ValueError:", e)
with b:
    with b:
        print("both slots taken, nb:", b.acquire(blocking=False))
try:
    b.release(1)
    print("unexpected")
except ValueError as e:
    print("ValueError again:", e)
b.acquire()
b.acquire()
try:
    b.release(3)
except ValueError as e:
    print("release(3):", e)
b.release(2)
print("back to full:", b.acquire(False), b.acquire(False), b.acquire(False))
