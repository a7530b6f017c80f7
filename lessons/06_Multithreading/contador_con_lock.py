# El mismo contador, ahora protegido por un candado: mientras un hilo
# lee, suma y escribe, el otro espera.  Siempre imprime 4.
import threading

N = 2
contador = 0
candado = threading.Lock()


def sumar():
    global contador
    for _ in range(N):
        with candado:
            # telar: sección crítica: solo un hilo a la vez
            contador += 1


hilos = [threading.Thread(target=sumar, name=f"hilo-{i}") for i in (1, 2)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(contador)
