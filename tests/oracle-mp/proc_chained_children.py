# Children started together print in a fixed order because each waits for the previous one's event.
import multiprocessing as mp


def link(i, mine, nxt):
    mine.wait()
    print("child", i, "name", mp.current_process().name, flush=True)
    if nxt is not None:
        nxt.set()


if __name__ == "__main__":
    events = [mp.Event() for _ in range(5)]
    procs = []
    for i in reversed(range(5)):
        nxt = events[i + 1] if i + 1 < 5 else None
        p = mp.Process(target=link, args=(i, events[i], nxt))
        procs.append(p)
        p.start()
    print("all started", flush=True)
    events[0].set()
    for p in procs:
        p.join()
    print("exitcodes:", [p.exitcode for p in procs])
