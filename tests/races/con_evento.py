# race: none
# One thread prepares data and sets an Event; the other waits for it and
# only then reads.
import threading

listo = threading.Event()
datos = None


def prepara():
    global datos
    datos = {"clave": 42}
    datos["otra"] = 7
    listo.set()


def usa():
    listo.wait()
    print(datos["clave"] + datos["otra"])


hilos = [threading.Thread(target=usa), threading.Thread(target=prepara)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
