# race: none
# Two threads join the same worker and then read what it wrote: the second
# join finds the worker already joined and returns at once; and a third
# thread polls is_alive() until it is False.
import threading
import time

datos = []


def trabajador():
    datos.append(1)
    datos[0] += 1


def espera(nombre):
    t.join()
    print(nombre, datos[0])


def sondea():
    while t.is_alive():
        time.sleep(0.001)
    print("sondeo", datos[0])


t = threading.Thread(target=trabajador)
otros = [threading.Thread(target=espera, args=("otro",)),
         threading.Thread(target=sondea)]
t.start()
for h in otros:
    h.start()
t.join()
print("principal", datos[0])
for h in otros:
    h.join()
