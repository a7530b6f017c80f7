# race: none
# Values written before start() are read by the thread.
import threading

config = {"veces": 2}
nombre = "tarea"


class Trabajo:
    pass


trabajo = Trabajo()
trabajo.etiqueta = "x"


def corre():
    for _ in range(config["veces"]):
        print(nombre, trabajo.etiqueta)


h = threading.Thread(target=corre)
h.start()
h.join()
