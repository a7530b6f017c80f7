# race: attribute 'saldo' lines 12 13
# A deposit method reads and writes an attribute of a shared object.
import threading


class Cuenta:
    def __init__(self):
        self.saldo = 0

    def ingresa(self, cantidad):
        for _ in range(3):
            nuevo = self.saldo + cantidad
            self.saldo = nuevo


cuenta = Cuenta()
hilos = [threading.Thread(target=cuenta.ingresa, args=(10,))
         for _ in range(2)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(cuenta.saldo)
