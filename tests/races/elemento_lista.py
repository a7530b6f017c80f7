# race: item [0] lines 10 10
# Threads add to the first item of a shared list.
import threading

votos = [0, 0]


def vota():
    for _ in range(5):
        votos[0] += 1


hilos = [threading.Thread(target=vota) for _ in range(3)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(votos)
