# race: global 'estado' lines 11 16
# The main thread changes a global after start() and before join(), while
# the thread reads it.
import threading

estado = "preparado"
visto = []


def mira():
    visto.append(estado)


h = threading.Thread(target=mira)
h.start()
estado = "en marcha"
h.join()
print(visto)
