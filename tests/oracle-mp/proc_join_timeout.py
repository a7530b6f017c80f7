# join(timeout) on a child that sleeps longer returns with the child alive; then terminate.
import multiprocessing as mp
import time


def slow(ev):
    ev.set()
    time.sleep(30)
    print("slow child done")


def quick():
    time.sleep(0.2)
    print("quick child done")


if __name__ == "__main__":
    ev = mp.Event()
    p = mp.Process(target=slow, args=(ev,))
    p.start()
    ev.wait()
    p.join(0.3)
    print("after join(0.3): alive", p.is_alive(), "exitcode", p.exitcode)
    p.join(timeout=0)
    print("after join(0): alive", p.is_alive())
    p.terminate()
    p.join()
    print("after terminate: alive", p.is_alive(), "exitcode", p.exitcode)
    q = mp.Process(target=quick)
    q.start()
    q.join(30)
    print("join(30) on quick child: alive", q.is_alive(), "exitcode", q.exitcode)
