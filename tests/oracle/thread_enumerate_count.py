# active_count and enumerate while a known set of threads is blocked.
import threading

go = threading.Event()
ready = threading.Barrier(4)


def worker():
    ready.wait()
    go.wait()


print("count at start:", threading.active_count())
print([t.name for t in threading.enumerate()])
ts = [threading.Thread(target=worker, name=f"w{i}") for i in range(3)]
for t in ts:
    t.start()
ready.wait()
print("count with workers:", threading.active_count())
print(sorted(t.name for t in threading.enumerate()))
go.set()
for t in ts:
    t.join()
print("count after join:", threading.active_count())
print([t.name for t in threading.enumerate()])
