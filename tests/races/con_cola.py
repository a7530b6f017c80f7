# race: none
# Objects handed over through a queue.Queue: each is written before put()
# and read after get().
import queue
import threading


class Pedido:
    def __init__(self, n):
        self.n = n
        self.estado = "nuevo"


cola = queue.Queue()
hechos = []


def productor():
    for i in range(4):
        p = Pedido(i)
        p.estado = "listo"
        cola.put(p)
    cola.put(None)


def consumidor():
    while True:
        p = cola.get()
        if p is None:
            break
        p.estado = "servido"
        hechos.append((p.n, p.estado))


hilos = [threading.Thread(target=consumidor), threading.Thread(target=productor)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(hechos)
