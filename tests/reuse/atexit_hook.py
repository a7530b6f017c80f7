# Reuse: an atexit function runs at the end of each run, once.
import atexit
import threading

atexit.register(print, "adios")
t = threading.Thread(target=print, args=("hilo",))
t.start()
t.join()
