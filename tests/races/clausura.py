# race: closure variable 'cuenta' lines 12 12
# A counter kept in a closure cell, incremented from two threads.
import threading


def contador():
    cuenta = 0

    def incrementa():
        nonlocal cuenta
        for _ in range(3):
            cuenta += 1

    def valor():
        return cuenta

    return incrementa, valor


incrementa, valor = contador()
hilos = [threading.Thread(target=incrementa) for _ in range(2)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(valor())
