# Outcome scenario: a child process deadlocks (it takes its own lock twice)
# while the parent waits to join it and another child waits on an event.
# Under python3 it hangs forever; under telar the run ends, once, exit 3.
import multiprocessing as mp
import threading


def atascado():
    cerrojo = threading.Lock()
    cerrojo.acquire()
    cerrojo.acquire()


def paciente(ev):
    ev.wait()


if __name__ == "__main__":
    ev = mp.Event()
    otro = mp.Process(target=paciente, args=(ev,))
    otro.start()
    p = mp.Process(target=atascado)
    p.start()
    print("esperando", flush=True)
    p.join()
    print("never printed")
