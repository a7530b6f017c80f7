# race: none
# Threads write their own results; the main thread reads them, and a
# global the last thread writes, after join().
import threading

resultados = {}
resumen = None


def calcula(n):
    resultados[n] = n * n


def resume():
    global resumen
    resumen = sum(resultados.values())


hilos = [threading.Thread(target=calcula, args=(i,)) for i in range(3)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
ultimo = threading.Thread(target=resume)
ultimo.start()
ultimo.join()
print(sorted(resultados.items()), resumen)
