# lint pool-saturated, versión corregida: el pool tiene un hilo por
# petición concurrente, así que ninguna espera en la cola.
from concurrent.futures import ThreadPoolExecutor
import time


def consultar(n):
    time.sleep(0.1)  # una llamada lenta, de E/S
    return n * n


with ThreadPoolExecutor(max_workers=8) as pool:
    print(list(pool.map(consultar, range(8))))
