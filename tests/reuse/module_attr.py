# Reuse: an attribute set on a standard module (and on a class of it).
import threading

print(getattr(threading, "marca", None), getattr(threading.Thread, "marca", None))
threading.marca = 1
threading.Thread.marca = 2
t = threading.Thread(target=print, args=("hilo",))
t.start()
t.join()
