# lint lock-await (hilos), versión corregida: se duerme fuera del Lock.
import threading
import time

cerrojo = threading.Lock()
total = 0


def trabajar(n):
    global total
    time.sleep(0.1)  # la espera lenta, sin el cerrojo
    with cerrojo:
        total += n


hilos = [threading.Thread(target=trabajar, args=(i,)) for i in range(3)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print("total", total)
