# daemon flag: default, inheritance from the creating thread, setting after start fails.
import threading

out = []


def child():
    inner = threading.Thread(target=lambda: None)
    out.append(("inner inherits", inner.daemon))


print("main daemon:", threading.current_thread().daemon)
a = threading.Thread(target=child)
b = threading.Thread(target=child, daemon=True)
print("a.daemon", a.daemon, "b.daemon", b.daemon)
a.start(); a.join()
b.start(); b.join()
for item in out:
    print(*item)
c = threading.Thread(target=lambda: None)
c.daemon = True
print("c.daemon", c.daemon, c.isDaemon())
c.start()
try:
    c.daemon = False
except RuntimeError as e:
    print("RuntimeError:", e)
c.join()
