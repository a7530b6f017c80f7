# race: none
# A thread builds a dict, a list and an object of its own and drops them;
# a later thread gets new ones, which CPython often places where the first
# ones were (its free lists).  Different objects: no race.
import threading


class Caja:
    pass


def usa(n):
    d = {"clave": n}
    d["clave"] += 1
    lst = [n, n]
    lst[1] += 1
    c = Caja()
    c.valor = n
    c.valor += 1
    print(n, id(d) % 7 >= 0, d["clave"], lst[1], c.valor)


for n in range(3):
    h = threading.Thread(target=usa, args=(n,))
    h.start()
    h.join() if n == 2 else None
