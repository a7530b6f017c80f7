# spawn: how a child ends shows in exitcode: a return, sys.exit(n),
# sys.exit("message"), an exception (with its traceback on stderr),
# os._exit(n), and a signal.
import multiprocessing as mp
import os
import signal
import sys


def normal():
    pass


def salir(n):
    sys.exit(n)


def mensaje():
    sys.exit("adiós con mensaje")


def nivel2(x):
    return 10 // x


def excepcion():
    nivel2(0)


def salida_cruda():
    print("this line is lost: os._exit does not flush")
    os._exit(7)


def senal():
    os.kill(os.getpid(), signal.SIGTERM)


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    casos = [(normal, ()), (salir, (3,)), (salir, (0,)), (mensaje, ()),
             (excepcion, ()), (salida_cruda, ()), (senal, ())]
    for f, args in casos:
        p = ctx.Process(target=f, args=args)
        p.start()
        p.join()
        print(f"{f.__name__}: exitcode {p.exitcode}", flush=True)
