# A thread blocks on an RLock held twice by main until main releases both levels.
import threading

r = threading.RLock()
log = []
started = threading.Event()


def worker():
    started.set()
    with r:
        log.append("worker got rlock")


r.acquire()
r.acquire()
t = threading.Thread(target=worker)
t.start()
started.wait()
r.release()
t.join(0.05)
print("worker alive while one level held:", t.is_alive())
r.release()
t.join()
print(log)
