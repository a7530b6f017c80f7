# A child writing far more than the stdout buffer: its chunks reach the pipe while the parent waits in join.
import multiprocessing as mp
import sys


def chatty(tag, n):
    for i in range(n):
        print(tag, i, "x" * (i % 50))
    sys.stderr.write("%s wrote %d lines\n" % (tag, n))


if __name__ == "__main__":
    print("parent starts")
    for tag, n in (("A", 3000), ("B", 10), ("C", 2500)):
        p = mp.Process(target=chatty, args=(tag, n))
        p.start()
        p.join()
        print("parent joined", tag, p.exitcode)
    print("stdin in a child is /dev/null:", end=" ")
    q = mp.SimpleQueue()
    r = mp.Process(target=lambda: q.put((sys.stdin.read(), sys.stdin.closed)))
    r.start()
    print(q.get())
    r.join()
