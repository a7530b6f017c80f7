# race: none
# A Thread subclass keeps its result in an attribute; a Timer fires once;
# the main thread reads both after join().
import threading


class Calculo(threading.Thread):
    def __init__(self, n):
        super().__init__(name=f"calculo-{n}")
        self.n = n
        self.resultado = None

    def run(self):
        self.resultado = sum(range(self.n))
        print(threading.current_thread().name, "listo")


disparos = []
t = threading.Timer(0.5, lambda: disparos.append("fuego"))
t.start()
hilos = [Calculo(n) for n in (10, 20)]
for h in hilos:
    h.daemon = False
    h.start()
for h in hilos:
    h.join()
t.join()
print([h.resultado for h in hilos], disparos)
