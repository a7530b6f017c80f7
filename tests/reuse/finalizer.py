# Reuse: an object whose __del__ prints, alive when the module ends.
import threading


class Recurso:
    def __del__(self):
        print("liberado")


r = Recurso()
t = threading.Thread(target=print, args=("hilo",))
t.start()
t.join()
