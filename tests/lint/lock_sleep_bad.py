# lint lock-await (hilos), ejemplo malo: un hilo duerme con el Lock cogido
# y los demás esperan sin hacer nada.
import threading
import time

cerrojo = threading.Lock()
total = 0


def trabajar(n):
    global total
    with cerrojo:
        time.sleep(0.1)  # espera lenta dentro de la sección crítica
        total += n


hilos = [threading.Thread(target=trabajar, args=(i,)) for i in range(3)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print("total", total)
