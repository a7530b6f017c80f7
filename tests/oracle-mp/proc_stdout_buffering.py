# A piped stdout is block-buffered: start() flushes the parent, each child flushes at its exit.
import multiprocessing as mp
import sys


def child(go, n):
    go.wait()
    print("child line 1 of", n)
    sys.stderr.write("child stderr %d\n" % n)
    print("child line 2 of", n)


if __name__ == "__main__":
    print("parent before start")
    go = mp.Event()
    p = mp.Process(target=child, args=(go, 1))
    p.start()
    print("parent after start, flushed before the child runs", flush=True)
    sys.stderr.write("parent stderr\n")
    go.set()
    p.join()
    print("parent after join")
    go2 = mp.Event()
    p2 = mp.Process(target=child, args=(go2, 2))
    p2.start()
    print("parent after second start, still in the parent's buffer")
    go2.set()
    p2.join()
    print("parent end")
