# atexit handlers never run in forked children, neither inherited nor registered there.
import atexit
import multiprocessing as mp


def child():
    atexit.register(print, "child-registered atexit (never runs)")
    print("child body")


if __name__ == "__main__":
    atexit.register(print, "parent atexit runs once")
    p = mp.Process(target=child)
    p.start()
    p.join()
    print("child exitcode", p.exitcode)
