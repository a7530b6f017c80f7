# make bench: the cost of --races.  Four threads share a dict, a counter
# under a lock and an object's attributes; each does pure-Python work in
# between, so most instructions touch no shared data.
import threading

N = 20000
cerrojo = threading.Lock()
total = 0
tabla = {}


class Config:
    factor = 3
    limite = 1000


config = Config()


def trabaja(k):
    global total
    local = 0
    for i in range(N):
        x = (i * config.factor) % config.limite
        local += x * x - i
        if i % 16 == 0:
            with cerrojo:
                total += local % 7
                tabla[k] = tabla.get(k, 0) + 1


hilos = [threading.Thread(target=trabaja, args=(k,)) for k in range(4)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(total, sorted(tabla.items()))
