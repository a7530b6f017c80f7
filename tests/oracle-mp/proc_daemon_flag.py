# daemon flag: default False, settable before start, daemon children are terminated at parent exit.
import multiprocessing as mp
import time


def sleeper(ev):
    print("daemon child started", mp.current_process().daemon, flush=True)
    ev.set()
    time.sleep(100)
    print("never printed")


def try_child(q):
    try:
        mp.Process(target=print).start()
    except AssertionError as e:
        q.put(str(e))


if __name__ == "__main__":
    p = mp.Process(target=print)
    print("default daemon:", p.daemon)
    p.daemon = True
    print("set daemon:", p.daemon)
    d = mp.Process(target=print, daemon=True)
    print("daemon kwarg:", d.daemon)
    q = mp.Queue()
    c = mp.Process(target=try_child, args=(q,), daemon=True)
    c.start()
    print("daemon child starting a child:", q.get())
    c.join()
    print("exitcode:", c.exitcode)
    ev = mp.Event()
    s = mp.Process(target=sleeper, args=(ev,), daemon=True)
    s.start()
    ev.wait()
    print("alive:", s.is_alive())
    try:
        s.daemon = False
    except AssertionError as e:
        print("after start:", e)
    print("parent exits without joining")
