# Dos hilos suman 1 a un contador compartido, dos veces cada uno, sin
# candado.  Lo correcto sería 4; según cómo se intercalen los hilos, el
# programa puede imprimir 2, 3 o 4.
import threading

N = 2
contador = 0


def sumar():
    global contador
    for _ in range(N):
        # telar: leer, sumar y escribir: tres pasos, no uno
        contador += 1


hilos = [threading.Thread(target=sumar, name=f"hilo-{i}") for i in (1, 2)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(contador)
