# Outcome scenario: ten times the bytes through a Pipe take about ten times
# the time to receive (pickling and copying cost per byte); prints the
# virtual time of each recv (telar), or the real one.
import multiprocessing as mp
import time


def enviar(c, tam):
    c.send(b"x" * tam)


if __name__ == "__main__":
    for tam in (200_000, 2_000_000):
        r, w = mp.Pipe(duplex=False)
        p = mp.Process(target=enviar, args=(w, tam))
        p.start()
        r.poll(None)            # the child has begun to send
        t0 = time.perf_counter()
        datos = r.recv()
        t1 = time.perf_counter()
        p.join()
        print(f"{len(datos)} bytes: {(t1 - t0) * 1e6:.0f} us")
