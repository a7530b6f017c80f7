# Reuse: the main module ends with an exception (exit 1, a traceback).
import threading

t = threading.Thread(target=print, args=("hilo",))
t.start()
t.join()
raise ValueError("al final")
