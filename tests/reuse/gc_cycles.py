# Reuse: cycles left for the collector, with a weak reference to one.
import threading
from _weakref import ref


class Nodo:
    pass


a = Nodo()
b = Nodo()
a.otro, b.otro = b, a
r = ref(a)
t = threading.Thread(target=lambda: print(r() is a))
t.start()
t.join()
del a, b
