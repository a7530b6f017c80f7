# race: none
# A reentrant lock taken twice by the same thread around each update.
import threading


class Cuenta:
    def __init__(self):
        self.cerrojo = threading.RLock()
        self.saldo = 0

    def ingresa(self, cantidad):
        with self.cerrojo:
            self._suma(cantidad)

    def _suma(self, cantidad):
        with self.cerrojo:
            self.saldo += cantidad


cuenta = Cuenta()
hilos = [threading.Thread(target=lambda: [cuenta.ingresa(5) for _ in range(3)])
         for _ in range(3)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(cuenta.saldo)
