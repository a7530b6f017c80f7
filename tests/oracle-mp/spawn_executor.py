# spawn: ProcessPoolExecutor with mp_context=get_context("spawn"): map with
# chunksize, submit, an exception re-raised by result(), the worker names.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor


def doble(x):
    return 2 * x


def falla(x):
    raise KeyError(x)


def nombre():
    return mp.current_process().name.split("-")[0]


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=ctx) as ex:
        print(list(ex.map(doble, range(7), chunksize=3)))
        f = ex.submit(doble, 21)
        print(f.result())
        g = ex.submit(falla, "clave")
        try:
            g.result()
        except KeyError as e:
            print("KeyError re-raised:", e)
        print(ex.submit(nombre).result())
    print("executor shut down")
