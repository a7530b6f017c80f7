# Outcome scenario: CPU-bound work done sequentially, in 4 threads and in 4
# processes; prints the virtual time each took (telar), or the real one.
import time, threading, multiprocessing as mp
def trabajo(n=200_000):
    t = 0
    for i in range(n):
        t += i % 7
    return t
def medir(nombre, f):
    t0 = time.perf_counter(); f(); print(f"{nombre}: {time.perf_counter() - t0:.3f} s")
def secuencial():
    for _ in range(4): trabajo()
def hilos():
    ts = [threading.Thread(target=trabajo) for _ in range(4)]
    for t in ts: t.start()
    for t in ts: t.join()
def procesos():
    ps = [mp.Process(target=trabajo) for _ in range(4)]
    for p in ps: p.start()
    for p in ps: p.join()
if __name__ == "__main__":
    medir("secuencial", secuencial)
    medir("4 hilos", hilos)
    medir("4 procesos", procesos)
