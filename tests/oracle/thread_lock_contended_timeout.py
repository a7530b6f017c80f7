# Another thread holds the Lock: timed acquire fails, then succeeds after release.
import threading

lock = threading.Lock()
held = threading.Event()
release = threading.Event()


def holder():
    with lock:
        held.set()
        release.wait()


t = threading.Thread(target=holder)
t.start()
held.wait()
print("try non-blocking:", lock.acquire(blocking=False))
print("try timeout:", lock.acquire(timeout=0.05))
release.set()
print("blocking acquire:", lock.acquire())
lock.release()
t.join()
print("release by another thread is allowed for Lock:")
lock.acquire()
r = threading.Thread(target=lock.release)
r.start()
r.join()
print("locked:", lock.locked())
