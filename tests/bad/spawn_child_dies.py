# Spawned children that die without a word: a crash in C (SIGSEGV), a
# SIGKILL of their own, os._exit.  The parent sees each exit status and
# goes on; nothing hangs.
import ctypes
import multiprocessing as mp
import os
import signal


def segv():
    ctypes.string_at(0)


def kill9():
    os.kill(os.getpid(), signal.SIGKILL)


def salida():
    os._exit(5)


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    for f in (segv, kill9, salida):
        p = ctx.Process(target=f)
        p.start()
        p.join()
        print(f.__name__, p.exitcode, flush=True)
