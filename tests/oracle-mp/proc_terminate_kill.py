# terminate() gives exitcode -SIGTERM, kill() gives -SIGKILL, a SIGTERM handler can exit cleanly.
import multiprocessing as mp
import signal
import sys
import time


def sleeper(ev):
    ev.set()
    time.sleep(60)


def handled(ev):
    def on_term(signum, frame):
        print("child got signal", signal.Signals(signum).name)
        sys.exit(5)
    signal.alarm(20)  # safety net: never outlive a hung run (SIGALRM's default kills)
    signal.signal(signal.SIGTERM, on_term)
    ev.set()
    time.sleep(60)


if __name__ == "__main__":
    for how in ("terminate", "kill"):
        ev = mp.Event()
        p = mp.Process(target=sleeper, args=(ev,))
        p.start()
        ev.wait()
        getattr(p, how)()
        p.join()
        print(how, "-> exitcode", p.exitcode, signal.Signals(-p.exitcode).name)
    ev = mp.Event()
    p = mp.Process(target=handled, args=(ev,))
    p.start()
    ev.wait()
    p.terminate()
    p.join()
    print("handled SIGTERM -> exitcode", p.exitcode)
    p.terminate()
    print("terminate after exit is harmless:", p.exitcode)
