# race: none
# A producer and a consumer share a list and a flag under a Condition.
import threading

cond = threading.Condition()
caja = []
terminado = False


def productor():
    global terminado
    for i in range(5):
        with cond:
            caja.append(i)
            cond.notify()
    with cond:
        terminado = True
        cond.notify()


def consumidor():
    total = 0
    while True:
        with cond:
            while not caja and not terminado:
                cond.wait()
            if caja:
                total += caja.pop(0)
            elif terminado:
                break
    print("total", total)


hilos = [threading.Thread(target=consumidor), threading.Thread(target=productor)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
