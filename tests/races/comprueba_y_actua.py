# race: item ['manzanas'] lines 11 12
# Check-then-act on a shared dict: the check and the insertion are two
# steps another thread can come between.
import threading

stock = {}


def registra(fruta, n):
    for _ in range(2):
        if fruta not in stock:
            stock[fruta] = n


hilos = [threading.Thread(target=registra, args=("manzanas", i))
         for i in (1, 2)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(sorted(stock))
