# Reuse: cycles with a __del__ that the collector frees in the middle of
# the run, when the allocations of the run reach its threshold: when that
# happens depends on the heap the run began with.
import threading


class Ciclo:
    def __init__(self):
        self.yo = self

    def __del__(self):
        print("recogido")


def trabajo():
    for i in range(3):
        Ciclo()
        basura = [[] for _ in range(400)]
        print("vuelta", i, len(basura))


t = threading.Thread(target=trabajo)
t.start()
for i in range(2):
    print("principal", i)
t.join()
