# queue.Queue basics: FIFO order, qsize/empty/full, unbounded maxsize, put/get nowait.
import queue

q = queue.Queue()
print("maxsize:", q.maxsize, "empty:", q.empty(), "full:", q.full())
for x in ["a", "b", "c"]:
    q.put(x)
q.put_nowait("d")
print("qsize:", q.qsize(), "full:", q.full())
print([q.get() for _ in range(3)], q.get_nowait())
print("empty:", q.empty())
q0 = queue.Queue(maxsize=0)
for i in range(1000):
    q0.put(i)
print("unbounded with maxsize 0:", q0.qsize(), q0.full())
print("sum:", sum(q0.get() for _ in range(1000)))
print(queue.Queue.__mro__[0].__module__, issubclass(queue.Full, Exception))
