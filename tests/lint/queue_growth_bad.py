# lint queue-growth, ejemplo malo: el productor mete datos diez veces más
# rápido de lo que el consumidor los saca, en una cola sin límite.
import queue
import threading
import time

cola = queue.Queue()  # sin maxsize: crece sin freno
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
