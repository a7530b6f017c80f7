# Un productor rápido (un elemento cada 20 ms) y un consumidor lento (65 ms
# por elemento) unidos por una queue.Queue() sin límite.  Nada frena al
# productor: la cola crece mientras dure la producción, y con ella la
# memoria y el retraso de cada elemento.
import queue
import threading
import time

N = 20
cola = queue.Queue()            # sin maxsize: crece sin límite
inicio = time.monotonic()


def ahora():
    return time.monotonic() - inicio


def productor():
    maximo = 0
    for i in range(1, N + 1):
        time.sleep(0.02)        # producir un elemento: 20 ms
        # telar: put() nunca espera: la cola no tiene límite
        cola.put(i)
        maximo = max(maximo, cola.qsize())
        if i % 5 == 0:
            print(f"t={ahora():.1f} s: producidos {i:2}, "
                  f"en cola {cola.qsize():2}", flush=True)
    cola.put(None)              # aviso de fin
    print(f"el productor termina a los {ahora():.1f} s; "
          f"máximo en cola: {maximo}", flush=True)


def consumidor():
    while cola.get() is not None:
        time.sleep(0.065)       # procesar un elemento: 65 ms
    print(f"el consumidor termina a los {ahora():.1f} s", flush=True)


hilos = [threading.Thread(target=productor, name="productor"),
         threading.Thread(target=consumidor, name="consumidor")]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
