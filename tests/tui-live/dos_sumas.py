# Dos hilos suman 1, una vez cada uno, a un contador sin candado: según
# cómo se intercalen, el programa imprime 2 o 1.
import threading

n = 0


def sumar():
    global n
    n += 1


hilos = [threading.Thread(target=sumar) for _ in range(2)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(n)
