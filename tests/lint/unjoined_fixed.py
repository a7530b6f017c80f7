# lint unjoined-thread, versión corregida: el programa espera al hilo.
import threading
import time


def guardar_copia():
    time.sleep(0.1)
    print("copia guardada")


hilo = threading.Thread(target=guardar_copia, name="copia")
hilo.start()
hilo.join()
print("programa principal terminado")
