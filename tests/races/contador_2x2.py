# race: global 'contador' lines 11 11
# Two threads add 1 twice to a global without a lock.
import threading

contador = 0


def trabaja():
    global contador
    for _ in range(2):
        contador += 1


hilos = [threading.Thread(target=trabaja, name=f"hilo-{i}") for i in (1, 2)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(contador)
