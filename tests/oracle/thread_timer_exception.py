# An exception inside a Timer's function: "Exception in thread Thread-N:" via Timer.run.
import threading


def alarm(limit):
    raise TimeoutError(f"limit {limit} reached")


t = threading.Timer(0.01, alarm, args=(3,))
t.start()
t.join()
print("timer finished, alive:", t.is_alive())
t2 = threading.Timer(0.01, print, args=("second timer fine",))
t2.start()
t2.join()
