# Partial lines without a newline on stdout and stderr from children run one at a time.
import multiprocessing as mp
import sys


def child(i):
    sys.stdout.write("[out %d no newline]" % i)
    sys.stderr.write("[err %d no newline]" % i)
    if i == 2:
        sys.stdout.write("\n")
        sys.stderr.write("\n")


if __name__ == "__main__":
    sys.stdout.write("parent partial ")
    for i in range(3):
        p = mp.Process(target=child, args=(i,))
        p.start()
        p.join()
    sys.stdout.write("parent end\n")
    sys.stderr.write("parent err end\n")
