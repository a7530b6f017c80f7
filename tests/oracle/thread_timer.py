# Timer: runs its function with args after the interval; cancel() before it fires.
import threading

fired = []
t = threading.Timer(0.05, fired.append, args=("first",))
print("timer name:", t.name, "daemon:", t.daemon)
t.start()
t.join()
print("fired:", fired)

c = threading.Timer(30.0, fired.append, args=("never",))
c.start()
print("alive before cancel:", c.is_alive())
c.cancel()
c.join()
print("after cancel:", fired, c.is_alive())

k = threading.Timer(0.02, lambda **kw: fired.append(sorted(kw.items())), kwargs={"b": 2, "a": 1})
k.start()
k.join()
print("kwargs:", fired[-1])
early = threading.Timer(0.01, fired.append, args=("cancelled before start",))
early.cancel()
early.start()
early.join()
print("cancelled before start:", len(fired))
