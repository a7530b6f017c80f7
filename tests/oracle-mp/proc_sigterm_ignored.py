# A child ignoring SIGTERM survives terminate() and a timed join; kill() ends it.
import multiprocessing as mp
import signal
import time


def stubborn(ev):
    signal.alarm(20)  # safety net: never outlive a hung run (SIGALRM's default kills)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ev.set()
    time.sleep(60)
    print("not reached")


if __name__ == "__main__":
    ev = mp.Event()
    p = mp.Process(target=stubborn, args=(ev,))
    p.start()
    ev.wait()
    p.terminate()
    p.join(0.5)
    print("after terminate + join(0.5): alive", p.is_alive(), "exitcode", p.exitcode)
    p.kill()
    p.join()
    print("after kill: alive", p.is_alive(), "exitcode", p.exitcode)
