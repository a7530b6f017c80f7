# join(timeout) on a blocked thread returns with the thread still alive.
import threading

go = threading.Event()


def waiter():
    go.wait()


t = threading.Thread(target=waiter)
print("before start alive:", t.is_alive())
t.start()
r = t.join(0.05)
print("join returned:", r)
print("alive after timed join:", t.is_alive())
t.join(timeout=0)
print("alive after join(0):", t.is_alive())
go.set()
t.join()
print("alive after full join:", t.is_alive())
t.join(0.01)
print("join of finished thread ok")
