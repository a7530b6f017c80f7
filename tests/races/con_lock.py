# race: none
# The counter of contador_2x2.py, with a lock around the increment.
import threading

contador = 0
cerrojo = threading.Lock()


def trabaja():
    global contador
    for _ in range(2):
        with cerrojo:
            contador += 1


hilos = [threading.Thread(target=trabaja) for _ in range(2)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(contador)
