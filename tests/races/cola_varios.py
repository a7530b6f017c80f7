# race: none
# Several producers and consumers share a queue.Queue; task_done() and
# join() tell the main thread when all is processed.
import queue
import threading

cola = queue.Queue(maxsize=2)
procesado = {}


def productor(base):
    for i in range(3):
        cola.put(base + i)


def consumidor():
    while True:
        x = cola.get()
        if x is None:
            cola.task_done()
            return
        procesado[x] = x * x
        cola.task_done()


cons = [threading.Thread(target=consumidor) for _ in range(2)]
prods = [threading.Thread(target=productor, args=(b,)) for b in (0, 10)]
for h in cons + prods:
    h.start()
for h in prods:
    h.join()
cola.join()
print(sorted(procesado))
for _ in cons:
    cola.put(None)
for h in cons:
    h.join()
