# sys.exit in the main thread after joining workers sets the status; worker output first.
import sys
import threading

results = []


def worker(n):
    results.append(n * n)


threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("results:", sorted(results))
sys.exit(len(results))
