# lint queue-growth, versión corregida: con maxsize el productor espera
# cuando la cola está llena (contrapresión).
import queue
import threading
import time

cola = queue.Queue(maxsize=10)  # el productor espera si está llena
N = 150


def productor():
    for i in range(N):
        cola.put(i)
        time.sleep(0.001)
    cola.put(None)


def consumidor():
    hechos = 0
    while cola.get() is not None:
        time.sleep(0.01)
        hechos += 1
    print("procesados", hechos)


p = threading.Thread(target=productor)
c = threading.Thread(target=consumidor)
p.start()
c.start()
p.join()
c.join()
