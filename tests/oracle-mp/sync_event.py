# mp.Event: set/clear/is_set, wait(timeout) returning False, children woken by the parent's set().
import multiprocessing as mp


def waiter(ev, i, out, ready):
    ready.release()
    r = ev.wait()
    out.put((i, r, ev.is_set()))


def setter(ev):
    ev.set()


if __name__ == "__main__":
    ev = mp.Event()
    print("is_set:", ev.is_set(), "wait(0.2):", ev.wait(0.2), "wait(0):", ev.wait(0))
    out = mp.Queue()
    ready = mp.Semaphore(0)
    ps = [mp.Process(target=waiter, args=(ev, i, out, ready)) for i in range(3)]
    for p in ps:
        p.start()
    for _ in ps:
        ready.acquire()
    ev.set()
    print(sorted(out.get() for _ in ps))
    for p in ps:
        p.join()
    print("wait on set event:", ev.wait(), ev.wait(0.1))
    ev.clear()
    print("after clear:", ev.is_set(), ev.wait(0.1))
    s = mp.Process(target=setter, args=(ev,))
    s.start()
    print("set by child:", ev.wait(30))
    s.join()
    print("is_set:", ev.is_set())
