# race: none
# Threads of one process hand data over through a multiprocessing Queue
# (a pipe and a feeder thread) and an os.pipe: what the producer wrote
# before putting is read after getting.
import multiprocessing
import os
import threading

hecho = {}


def productor(q, w):
    hecho["cola"] = "lista"
    q.put("x")
    hecho["tubo"] = "lista"
    os.write(w, b"y")


def consumidor(q, r):
    print(q.get(), hecho["cola"])
    print(os.read(r, 1), hecho["tubo"])


if __name__ == "__main__":
    q = multiprocessing.Queue()
    r, w = os.pipe()
    hilos = [threading.Thread(target=consumidor, args=(q, r)),
             threading.Thread(target=productor, args=(q, w))]
    for h in hilos:
        h.start()
    for h in hilos:
        h.join()
