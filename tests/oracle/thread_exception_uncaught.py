# An uncaught exception in a thread prints "Exception in thread" to stderr; exit status 0.
import threading


def parse(d):
    return d["missing"]


def worker(d):
    print("worker starts")
    parse(d)
    print("not reached")


t = threading.Thread(target=worker, args=({"x": 1},))
t.start()
t.join()
print("main continues, alive:", t.is_alive())
t2 = threading.Thread(target=lambda: 1 / 0, name="divider")
t2.start()
t2.join()
print("main ends")
