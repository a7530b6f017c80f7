# Misuse errors: start twice, join before start, joining oneself, closing a running process.
import multiprocessing as mp


def selfjoin(q):
    try:
        mp.current_process().join()
    except AssertionError as e:
        q.put("join self: " + str(e))


def block(ev):
    ev.wait()


if __name__ == "__main__":
    p = mp.Process(target=print, args=("child prints once",))
    try:
        p.join()
    except AssertionError as e:
        print("join before start:", e)
    p.start()
    try:
        p.start()
    except AssertionError as e:
        print("start twice:", e)
    p.join()
    try:
        p.start()
    except AssertionError as e:
        print("start after join:", e)
    q = mp.Queue()
    s = mp.Process(target=selfjoin, args=(q,))
    s.start()
    print(q.get())
    s.join()
    ev = mp.Event()
    r = mp.Process(target=block, args=(ev,))
    r.start()
    try:
        r.close()
    except ValueError as e:
        print("close while running:", e)
    ev.set()
    r.join()
    print("exitcodes:", p.exitcode, s.exitcode, r.exitcode)
