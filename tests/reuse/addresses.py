# Reuse: output that depends on where objects lie in memory (an address in
# a repr, the order of a set of objects, which follows their ids).
import threading


class Cosa:
    def __init__(self, nombre):
        self.nombre = nombre


cosas = {Cosa(n) for n in "abcdefgh"}
hilo = threading.Thread(target=lambda: print("".join(c.nombre for c in cosas)))
hilo.start()
hilo.join()
print(hex(id(Cosa("x"))))
