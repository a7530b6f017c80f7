# 2 hilos x 100 000 incrementos sin candado.  Con el GIL de CPython 3.10 o
# posterior imprime 200000 casi siempre: el intérprete solo cambia de hilo
# en llamadas y saltos hacia atrás, nunca en mitad de `contador += 1`.
# Que salga bien no lo hace correcto: prueba con --policy preempt.
import threading

N = 100_000
contador = 0


def sumar():
    global contador
    for _ in range(N):
        contador += 1


hilos = [threading.Thread(target=sumar, name=f"hilo-{i}") for i in (1, 2)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(contador)
