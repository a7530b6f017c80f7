# Reuse: locks made in each run, and a condition between two threads.
import threading

lock = threading.Lock()
cond = threading.Condition()
ready = []
counter = 0


def work():
    global counter
    for _ in range(2):
        with lock:
            counter += 1
    with cond:
        ready.append(1)
        cond.notify_all()


threads = [threading.Thread(target=work) for _ in range(2)]
for t in threads:
    t.start()
with cond:
    cond.wait_for(lambda: len(ready) == 2)
for t in threads:
    t.join()
print(counter)
