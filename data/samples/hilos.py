# Dos hilos que comparten un contador protegido por un candado, y un tercero
# que espera a que ambos terminen.  Es el escenario de muestra de telar: se
# ejecuta igual con `python3 hilos.py` y con `telar run hilos.py`.
import threading
import time

contador = 0
candado = threading.Lock()


def trabajador(nombre, veces):
    global contador
    for _ in range(veces):
        with candado:
            contador += 1
        time.sleep(0.01)
    print(f"{nombre} terminó")


hilos = [threading.Thread(target=trabajador, args=(f"hilo-{i}", 3),
                          name=f"hilo-{i}") for i in range(2)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print("contador =", contador)
