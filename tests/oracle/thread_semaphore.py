# Semaphore: counting, non-blocking and timed acquire, release(n), a blocked acquirer.
import threading

s = threading.Semaphore(2)
print("acq:", s.acquire(), s.acquire())
print("nb:", s.acquire(blocking=False))
print("timeout:", s.acquire(timeout=0.03))
s.release()
print("after release nb:", s.acquire(False))
s.release(2)
print("after release(2):", s.acquire(False), s.acquire(False), s.acquire(False))
try:
    threading.Semaphore(-1)
except ValueError as e:
    print("ValueError:", e)

got = []
started = threading.Event()


def taker():
    started.set()
    with s:
        got.append("taker in")


t = threading.Thread(target=taker)
t.start()
started.wait()
t.join(0.03)
print("taker blocked:", t.is_alive(), got)
s.release()
t.join()
print("taker done:", got)
print("extra release allowed:", s.release() is None)
