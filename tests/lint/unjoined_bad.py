# lint unjoined-thread, ejemplo malo: el programa lanza un hilo y nunca
# espera a que termine con join().
import threading
import time


def guardar_copia():
    time.sleep(0.1)
    print("copia guardada")


hilo = threading.Thread(target=guardar_copia, name="copia")
hilo.start()
print("programa principal terminado")
