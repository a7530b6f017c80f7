# race: none
# Each thread writes its own slot, waits at a Barrier, then reads the
# others' slots.
import threading

N = 3
barrera = threading.Barrier(N)
fase1 = [0] * N
sumas = [0] * N


def trabaja(i):
    fase1[i] = i + 1
    barrera.wait()
    sumas[i] = fase1[0] + fase1[1] + fase1[2]


hilos = [threading.Thread(target=trabaja, args=(i,)) for i in range(N)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(sumas)
