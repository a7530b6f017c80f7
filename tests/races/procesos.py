# race: none
# Processes have memories of their own: the same global in two processes
# is two variables.  The threads of the child use a lock.
import multiprocessing
import threading

contador = 0


def hijo():
    global contador
    cerrojo = threading.Lock()

    def suma():
        global contador
        with cerrojo:
            contador += 1

    hs = [threading.Thread(target=suma) for _ in range(2)]
    for h in hs:
        h.start()
    for h in hs:
        h.join()
    print("hijo", contador)


if __name__ == "__main__":
    p = multiprocessing.Process(target=hijo)
    p.start()
    contador += 10
    p.join()
    print("padre", contador)
