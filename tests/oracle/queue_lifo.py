# LifoQueue: last in, first out, with maxsize and Full.
import queue

q = queue.LifoQueue(maxsize=3)
for x in "xyz":
    q.put(x)
try:
    q.put_nowait("w")
except queue.Full:
    print("Full at", q.qsize())
print([q.get() for _ in range(3)])
q.put(1)
q.put(2)
print(q.get())
q.put(3)
print(q.get(), q.get())
try:
    q.get_nowait()
except queue.Empty:
    print("Empty")
