# Four threads increment a shared counter under a Lock; the total is exact.
import threading

counter = 0
lock = threading.Lock()


def add(n):
    global counter
    for _ in range(n):
        with lock:
            tmp = counter
            counter = tmp + 1


threads = [threading.Thread(target=add, args=(2500,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("counter =", counter)
print("lock free at end:", not lock.locked())
