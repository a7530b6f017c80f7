# mp.Condition across processes: wait_for on a shared Value, notify_all, and a timed wait that times out.
import multiprocessing as mp


def waiter(cond, state, i, out):
    with cond:
        state[1] += 1
        cond.notify_all()
        ok = cond.wait_for(lambda: state[0] >= 1, timeout=30)
        out.put((i, ok, state[0]))


if __name__ == "__main__":
    cond = mp.Condition()
    state = mp.Array("i", 2, lock=False)
    with cond:
        print("wait(0.2) with nobody notifying:", cond.wait(0.2))
        print("wait_for false predicate:", cond.wait_for(lambda: False, timeout=0.1))
    out = mp.Queue()
    ps = [mp.Process(target=waiter, args=(cond, state, i, out)) for i in range(3)]
    for p in ps:
        p.start()
    with cond:
        cond.wait_for(lambda: state[1] == 3)
        print("all three waiting")
        state[0] = 1
        cond.notify_all()
    print(sorted(out.get() for _ in ps))
    for p in ps:
        p.join()
    try:
        cond.notify()
    except AssertionError as e:
        print("notify without the lock:", type(e).__name__)
    print("exitcodes:", [p.exitcode for p in ps])
