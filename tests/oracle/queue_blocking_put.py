# A put on a full Queue blocks its thread until the consumer makes room.
import queue
import time
import threading

q = queue.Queue(maxsize=2)
log = []


def producer():
    for i in range(3):
        q.put(i)
        log.append(f"put {i}")


t = threading.Thread(target=producer)
t.start()
while len(log) < 2:  # the first two puts succeed; the third must block
    time.sleep(0.001)
t.join(0.05)
print("producer blocked:", t.is_alive(), "full:", q.full(), "log:", log)
print("get:", q.get())
t.join()
print("producer done:", log)
print("rest:", q.get(), q.get(), "empty:", q.empty())
