# Signals sent with os.kill: by the parent to a child's pid, and by a child to itself.
import multiprocessing as mp
import os
import signal
import time


def sleeper(ev):
    ev.set()
    time.sleep(60)


def self_signal(sig):
    print("child sends itself", signal.Signals(sig).name)
    os.kill(os.getpid(), sig)
    time.sleep(60)
    print("not reached")


if __name__ == "__main__":
    for sig in (signal.SIGTERM, signal.SIGKILL, signal.SIGUSR1):
        ev = mp.Event()
        p = mp.Process(target=sleeper, args=(ev,))
        p.start()
        ev.wait()
        os.kill(p.pid, sig)
        p.join()
        print("parent sent", signal.Signals(sig).name, "-> exitcode", p.exitcode)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        p = mp.Process(target=self_signal, args=(sig,))
        p.start()
        p.join()
        print("self", signal.Signals(sig).name, "-> exitcode", p.exitcode)
