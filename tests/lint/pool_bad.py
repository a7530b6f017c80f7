# lint pool-saturated, ejemplo malo: ocho peticiones lentas para un pool de
# dos hilos; seis esperan en la cola mientras los dos trabajan.
from concurrent.futures import ThreadPoolExecutor
import time


def consultar(n):
    time.sleep(0.1)  # una llamada lenta, de E/S
    return n * n


with ThreadPoolExecutor(max_workers=2) as pool:
    print(list(pool.map(consultar, range(8))))
