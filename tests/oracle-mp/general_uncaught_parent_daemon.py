# An uncaught exception in the parent: traceback, exit status 1, daemon child terminated, other child joined.
import atexit
import multiprocessing as mp
import time


def forever(ev):
    print("daemon up", flush=True)
    ev.set()
    while True:
        time.sleep(1)


def finite(go):
    go.wait()
    print("non-daemon child runs to the end")


if __name__ == "__main__":
    ev = mp.Event()
    d = mp.Process(target=forever, args=(ev,), daemon=True)
    d.start()
    ev.wait()
    go = mp.Event()
    mp.Process(target=finite, args=(go,)).start()
    atexit.register(go.set)
    print("parent about to fail")
    {}["missing key"]
