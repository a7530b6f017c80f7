# race: none
# A semaphore of one used as a lock, and one that limits a pool of slots.
import threading

mutex = threading.Semaphore(1)
plazas = threading.BoundedSemaphore(2)
ocupadas = 0
maximo = 0


def usa():
    global ocupadas, maximo
    with plazas:
        with mutex:
            ocupadas += 1
            maximo = max(maximo, ocupadas)
        with mutex:
            ocupadas -= 1


hilos = [threading.Thread(target=usa) for _ in range(4)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(ocupadas, maximo <= 2)
