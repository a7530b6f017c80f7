# The Manager's server is a process named SyncManager-N that takes an identity number; shutdown ends it.
import multiprocessing as mp


def child(lst):
    lst.append(mp.current_process().name)


if __name__ == "__main__":
    before = mp.Process()
    print("before:", before.name)
    m = mp.Manager()
    print("manager process:", m._process.name, "alive:", m._process.is_alive())
    lst = m.list()
    p = mp.Process(target=child, args=(lst,))
    p.start()
    p.join()
    print("child appended:", list(lst))
    print("active children:", sorted(c.name for c in mp.active_children()))
    m.shutdown()
    print("after shutdown: alive", m._process.is_alive(), "exitcode", m._process.exitcode)
    try:
        lst.append(1)
    except (OSError, EOFError) as e:
        print("proxy after shutdown fails:", isinstance(e, (OSError, EOFError)))
