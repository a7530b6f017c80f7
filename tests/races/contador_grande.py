# race: global 'total' lines 12 12
# Eight threads add to a global a thousand times each, without a lock, and
# read it to print their progress.
import threading

total = 0


def suma(n):
    global total
    for _ in range(n):
        total = total + 1


hilos = [threading.Thread(target=suma, args=(1000,)) for _ in range(8)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(total)
