# A child that starts and joins its own children: names like Process-1:2, exit codes seen by the child.
import multiprocessing as mp
import sys


def leaf(n):
    print("  leaf", mp.current_process().name, "n =", n)
    sys.exit(n)


def middle():
    print("middle", mp.current_process().name, "starts leaves", flush=True)
    codes = []
    for n in range(3):
        c = mp.Process(target=leaf, args=(n,))
        c.start()
        c.join()
        codes.append((c.name, c.exitcode))
    print("middle saw", codes)


if __name__ == "__main__":
    for _ in range(2):
        p = mp.Process(target=middle)
        p.start()
        p.join()
        print("main joined", p.name, p.exitcode)
