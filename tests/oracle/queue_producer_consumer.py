# Producer thread feeds a bounded Queue; the main thread consumes in order until a sentinel.
import queue
import threading

q = queue.Queue(maxsize=3)
STOP = object()


def producer():
    for i in range(10):
        q.put(i * i)
    q.put(STOP)


t = threading.Thread(target=producer)
t.start()
got = []
while True:
    item = q.get()
    if item is STOP:
        break
    got.append(item)
    print("consumed", item)
t.join()
print("total", sum(got), "empty", q.empty())
