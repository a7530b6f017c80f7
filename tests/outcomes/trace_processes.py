# Outcome scenario for --trace: three processes, threads inside one child
# and asyncio tasks inside the other, a Queue between them.
import asyncio
import multiprocessing as mp
import threading


def hilos(q):
    def trabajo(n):
        q.put(sum(range(n)))
    ts = [threading.Thread(target=trabajo, args=(k * 1000,)) for k in (1, 2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def tareas(q):
    async def tarea(n):
        await asyncio.sleep(0.01 * n)
        q.put(n)

    async def principal():
        await asyncio.gather(tarea(1), tarea(2))
    asyncio.run(principal())


if __name__ == "__main__":
    q = mp.Queue()
    ps = [mp.Process(target=hilos, args=(q,), name="hilos"),
          mp.Process(target=tareas, args=(q,), name="tareas")]
    for p in ps:
        p.start()
    print(sorted(q.get() for _ in range(4)))
    for p in ps:
        p.join()
