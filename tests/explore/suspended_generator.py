# Explore scenario: a generator left suspended at exit runs its finally
# block during teardown, and prints.
import threading


def lector():
    try:
        yield 1
        yield 2
    finally:
        print("lector cerrado")


g = lector()
next(g)
total = 0


def sumar():
    global total
    total += 1


hilos = [threading.Thread(target=sumar) for _ in range(2)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print(total)
