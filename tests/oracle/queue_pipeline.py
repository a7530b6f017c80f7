# Three-stage pipeline of threads connected by queues; order preserved end to end.
import queue
import threading

q1 = queue.Queue()
q2 = queue.Queue()
out = queue.Queue()


def stage(src, dst, fn):
    while True:
        item = src.get()
        if item is None:
            dst.put(None)
            return
        dst.put(fn(item))


threads = [
    threading.Thread(target=stage, args=(q1, q2, lambda x: x + 1), name="inc"),
    threading.Thread(target=stage, args=(q2, out, lambda x: x * x), name="square"),
]
for t in threads:
    t.start()
for i in range(8):
    q1.put(i)
q1.put(None)
while (r := out.get()) is not None:
    print(r)
for t in threads:
    t.join()
print("pipeline closed")
