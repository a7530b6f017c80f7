# RuntimeErrors: start twice, join before start, join current thread, bad arguments.
import threading

t = threading.Thread(target=lambda: None)
try:
    t.join()
except RuntimeError as e:
    print("join before start:", e)
t.start()
t.join()
try:
    t.start()
except RuntimeError as e:
    print("start twice:", e)
try:
    threading.current_thread().join()
except RuntimeError as e:
    print("join self:", e)
bad = threading.Thread(target=1)
bad.start()
bad.join()
print("bad target fails inside the thread:", bad.is_alive())


class NoInit(threading.Thread):
    def __init__(self):
        pass


try:
    NoInit().start()
except RuntimeError as e:
    print("no init:", e)
