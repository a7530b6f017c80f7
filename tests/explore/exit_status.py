# Explore scenario: the exit status is part of the outcome.  sys.exit with
# the number of updates lost: 0, 1 or 2.
import sys
import threading

cuenta = 0


def sumar():
    global cuenta
    for _ in range(2):
        cuenta += 1


hilos = [threading.Thread(target=sumar) for _ in range(2)]
for h in hilos:
    h.start()
for h in hilos:
    h.join()
print("cuenta", cuenta)
sys.exit(4 - cuenta)
