# Outcome scenario: what starting (and joining) one process costs with
# fork and with spawn; prints the virtual time (telar) or the real one.
import multiprocessing as mp
import time


def nada():
    pass


if __name__ == "__main__":
    for metodo in ("fork", "spawn"):
        ctx = mp.get_context(metodo)
        t0 = time.perf_counter()
        p = ctx.Process(target=nada)
        p.start()
        p.join()
        print(f"{metodo}: {(time.perf_counter() - t0) * 1e3:.1f} ms")
