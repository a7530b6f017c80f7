# Outcome scenario: 2 threads x 2 `counter += 1` under a Lock; prints the final counter.
import threading

N = 2
counter = 0
lock = threading.Lock()


def work():
    global counter
    for _ in range(N):
        with lock:
            counter += 1


threads = [threading.Thread(target=work) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter)
