# mp.Queue put/get of many picklable objects between parent and child, in both directions.
import multiprocessing as mp
from collections import namedtuple

Point = namedtuple("Point", "x y")


class Box:
    def __init__(self, v):
        self.v = v

    def __repr__(self):
        return "Box(%r)" % (self.v,)


def echo(inq, outq):
    while True:
        item = inq.get()
        if item == "STOP":
            break
        outq.put((type(item).__name__, item))
    outq.put("child done")


if __name__ == "__main__":
    inq, outq = mp.Queue(), mp.Queue()
    p = mp.Process(target=echo, args=(inq, outq))
    p.start()
    objs = [1, -2.5, "text", b"bytes", None, True, (1, (2, 3)), [1, [2]], {"k": [1, 2]},
            {1, 2, 3}, frozenset({4}), 3 + 4j, Point(1, 2), Box([1, 2]), range(3),
            2 ** 100, "é ü ✓", bytearray(b"ab")]
    for o in objs:
        inq.put(o)
    inq.put("STOP")
    for _ in objs:
        print(outq.get())
    print(outq.get())
    p.join()
    print("exitcode:", p.exitcode)
