# is_alive() across a child's life, active_children(), and close() after join.
import multiprocessing as mp


def waiter(go, started):
    started.set()
    go.wait()
    print("child released")


if __name__ == "__main__":
    go, started = mp.Event(), mp.Event()
    p = mp.Process(target=waiter, args=(go, started), name="waiter")
    print("before start:", p.is_alive(), [c.name for c in mp.active_children()])
    p.start()
    started.wait()
    print("running:", p.is_alive(), p.exitcode, [c.name for c in mp.active_children()])
    go.set()
    p.join()
    print("after join:", p.is_alive(), p.exitcode, mp.active_children())
    p.close()
    print("closed")
    for what in ("is_alive", "join", "terminate"):
        try:
            getattr(p, what)()
        except ValueError as e:
            print(what, "after close:", e)
    try:
        p.pid
    except ValueError as e:
        print("pid after close:", e)
    print("name after close:", p.name)
    q = mp.Process(target=print)
    q.close()
    print("close before start is allowed; start then:", end=" ")
    try:
        q.start()
    except ValueError as e:
        print(e)
