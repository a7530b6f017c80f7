# Pool of worker threads with one shared task Queue and a results Queue; sentinels stop them.
import queue
import threading

tasks = queue.Queue()
results = queue.Queue()


def worker():
    name = threading.current_thread().name
    while True:
        n = tasks.get()
        if n is None:
            results.put((name, "stop"))
            break
        results.put((n, sum(range(n))))


workers = [threading.Thread(target=worker, name=f"w{i}") for i in range(4)]
for w in workers:
    w.start()
for n in range(1, 11):
    tasks.put(n)
for _ in workers:
    tasks.put(None)
for w in workers:
    w.join()
items = []
while not results.empty():
    items.append(results.get_nowait())
print(sorted(x for x in items if x[1] != "stop"))
print(sorted(x[0] for x in items if x[1] == "stop"))
