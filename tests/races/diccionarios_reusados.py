# race: none
# Workers build and drop many small dicts and lists of their own: freed
# objects' addresses come back for other threads' objects.
import threading
from concurrent.futures import ThreadPoolExecutor


def pedido(n):
    total = 0
    for i in range(20):
        d = {"n": n, "i": i}
        d["doble"] = d["n"] * 2
        lst = [d["doble"], i]
        lst[0] += 1
        total += lst[0]

        class Tmp:
            pass
        t = Tmp()
        t.valor = total
        total = t.valor
    return total


with ThreadPoolExecutor(max_workers=3) as ex:
    print(sum(ex.map(pedido, range(12))))
