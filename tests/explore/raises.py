# Explore scenario: an uncaught exception (exit 1) in some schedules only.
import threading

listo = False


def preparar():
    global listo
    listo = True


h = threading.Thread(target=preparar)
h.start()
if not listo:
    raise RuntimeError("todavía no está listo")
h.join()
print("listo")
