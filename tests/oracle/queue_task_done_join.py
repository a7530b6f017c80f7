# Queue.join waits until task_done was called for every item; too many task_done fails.
import queue
import threading

q = queue.Queue()
processed = []
lock = threading.Lock()


def worker():
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            return
        with lock:
            processed.append(item * 10)
        q.task_done()


workers = [threading.Thread(target=worker, daemon=True) for _ in range(3)]
for w in workers:
    w.start()
for i in range(12):
    q.put(i)
q.join()
print("after join:", sorted(processed))
print("unfinished:", q.unfinished_tasks)
for _ in workers:
    q.put(None)
q.join()
for w in workers:
    w.join()
try:
    q.task_done()
except ValueError as e:
    print("ValueError:", e)
