# spawn: Event, Semaphore and Condition between fresh interpreters.
import multiprocessing as mp


def espera(ev, sem, q, n):
    ev.wait()
    with sem:
        q.put(n)


def avisa(cond, lista):
    with cond:
        lista.append(1)
        cond.notify()


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    ev, sem, q = ctx.Event(), ctx.Semaphore(1), ctx.Queue()
    ps = [ctx.Process(target=espera, args=(ev, sem, q, n)) for n in range(3)]
    for p in ps:
        p.start()
    print("event set:", ev.is_set())
    ev.set()
    print(sorted(q.get() for _ in ps))
    for p in ps:
        p.join()
    cond = ctx.Condition()
    m = ctx.Manager()
    lista = m.list()
    with cond:
        p = ctx.Process(target=avisa, args=(cond, lista))
        p.start()
        cond.wait_for(lambda: len(lista) == 1)
    p.join()
    print("notified:", list(lista))
    m.shutdown()
