# Outcome scenario: a child process kills itself with SIGKILL while it runs
# (holding telar's baton); the parent sees exitcode -9, never a hang.
import multiprocessing as mp, os, signal
def muere():
    print("me mato", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
if __name__ == "__main__":
    p = mp.Process(target=muere)
    p.start()
    p.join()
    print("exitcode", p.exitcode)
