# At exit the parent joins its non-daemon children (after its own atexit handlers) and keeps its exit status.
import atexit
import multiprocessing as mp
import sys


def late(n, mine, nxt):
    mine.wait()
    print("child", n, "finishing", flush=True)
    nxt.set()


if __name__ == "__main__":
    evs = [mp.Event() for _ in range(3)]
    for n in (1, 2):
        mp.Process(target=late, args=(n, evs[n - 1], evs[n])).start()
    atexit.register(lambda: print("parent atexit handler releases the children", flush=True) or evs[0].set())
    print("parent leaves without joining")
    sys.exit(3)
