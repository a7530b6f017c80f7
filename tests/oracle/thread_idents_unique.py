# Live threads have distinct idents; ident equals get_ident() inside the thread.
import threading

barrier = threading.Barrier(4)
seen = {}
lock = threading.Lock()


def worker(i):
    me = threading.current_thread()
    with lock:
        seen[i] = (threading.get_ident(), me.ident, me.native_id)
    barrier.wait()


ts = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
for t in ts:
    t.start()
barrier.wait()
for t in ts:
    t.join()
idents = [seen[i][0] for i in range(3)]
print("three distinct idents:", len(set(idents)) == 3)
print("ident matches get_ident:", all(seen[i][0] == seen[i][1] for i in range(3)))
print("thread.ident matches:", [t.ident for t in ts] == idents)
print("main ident not among them:", threading.get_ident() not in idents)
print("native ids distinct:", len({seen[i][2] for i in range(3)}) == 3)
