# race: none
# A ThreadPoolExecutor: the workers write, the main thread reads after
# result().
from concurrent.futures import ThreadPoolExecutor

tabla = {}
contador = 0


def trabajo(n):
    global contador
    tabla[n] = n * 10
    contador = n
    return n + 1


with ThreadPoolExecutor(max_workers=1) as ex:
    futuros = [ex.submit(trabajo, i) for i in range(3)]
    print([f.result() for f in futuros])
    print(sorted(tabla.items()), contador)
