# Explore scenario: a __del__ that prints while CPython tears the interpreter
# down; the outcome must include it, as python3's output does.
import threading


class Recibo:
    def __del__(self):
        print("recibo destruido")


recibo = Recibo()
saldo = 0


def ingresar():
    global saldo
    saldo += 1


hilos = [threading.Thread(target=ingresar) for _ in range(2)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(saldo)
