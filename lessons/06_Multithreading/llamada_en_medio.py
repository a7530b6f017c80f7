# Leer, llamar a una función, escribir.  La llamada entre la lectura y la
# escritura es un punto donde CPython comprueba si otro hilo pide el GIL:
# si cambia de hilo justo ahí, el otro hilo suma sobre un valor que este
# va a pisar.  Se pierden incrementos, también con el GIL.
import threading

N = 300_000
contador = 0


def registrar(valor):
    # Podría ser un log o una métrica; aquí no hace nada con el valor.
    return valor


def sumar():
    global contador
    for _ in range(N):
        tmp = contador          # leer
        # telar: una llamada: aquí CPython puede ceder el GIL a otro hilo
        registrar(tmp)
        contador = tmp + 1      # escribir (quizá sobre un valor viejo)


hilos = [threading.Thread(target=sumar, name=f"hilo-{i}") for i in (1, 2)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(f"esperado: {2 * N}")
print("se perdieron incrementos" if contador < 2 * N
      else "no se perdió ninguno")
