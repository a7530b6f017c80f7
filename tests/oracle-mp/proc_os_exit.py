# os._exit(n) in a child: its exitcode is n and its unflushed stdout is lost.
import multiprocessing as mp
import os
import sys


def hard_exit(n, flush):
    print("printed before os._exit", n, flush=flush)
    sys.stderr.write("stderr line from child %d\n" % n)
    os._exit(n)


if __name__ == "__main__":
    for n, flush in [(0, False), (5, False), (6, True), (200, True)]:
        p = mp.Process(target=hard_exit, args=(n, flush))
        p.start()
        p.join()
        print("os._exit(%d) flush=%s -> exitcode %d" % (n, flush, p.exitcode))
