# Bad input: an uncaught exception in a thread ("Exception in thread ..." on stderr, status 0).
import threading


def worker():
    raise RuntimeError("fallo en el hilo")


t = threading.Thread(target=worker, name="trabajador")
t.start()
t.join()
print("main sigue")
