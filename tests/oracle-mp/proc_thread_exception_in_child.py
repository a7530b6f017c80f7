# An uncaught exception in a thread of a child: "Exception in thread" on stderr, the child still exits 0.
import multiprocessing as mp
import threading


def bad():
    raise ValueError("thread in child failed")


def child():
    t = threading.Thread(target=bad, name="Inner")
    t.start()
    t.join()
    print("child continues after its thread failed")


if __name__ == "__main__":
    p = mp.Process(target=child)
    p.start()
    p.join()
    print("exitcode:", p.exitcode)
