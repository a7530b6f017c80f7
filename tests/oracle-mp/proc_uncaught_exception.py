# An uncaught exception in a child: "Process Process-N:" and a traceback on stderr, exitcode 1.
import multiprocessing as mp


def divide(a, b):
    return a / b


def bad(d):
    print("child about to fail")
    return divide(d["x"], 0)


def interrupted():
    raise KeyboardInterrupt


if __name__ == "__main__":
    p = mp.Process(target=bad, args=({"x": 1},))
    p.start()
    p.join()
    print("exitcode:", p.exitcode)
    p2 = mp.Process(target=bad, args=({},), name="KeyErrorChild")
    p2.start()
    p2.join()
    print("exitcode:", p2.exitcode)
    p3 = mp.Process(target=interrupted)
    p3.start()
    p3.join()
    print("exitcode:", p3.exitcode)
