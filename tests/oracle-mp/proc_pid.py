# pid: None before start, an int after, the child's getpid/getppid agree with the parent's view.
import multiprocessing as mp
import os


def child(q):
    q.put((os.getpid(), os.getppid(), mp.current_process().pid))


if __name__ == "__main__":
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,))
    print("pid before start:", p.pid, "ident:", p.ident)
    p.start()
    print("pid is int:", isinstance(p.pid, int), "ident == pid:", p.ident == p.pid)
    print("pid differs from parent:", p.pid != os.getpid())
    print("sentinel is int:", isinstance(p.sentinel, int))
    cpid, cppid, cur = q.get()
    p.join()
    print("child getpid == p.pid:", cpid == p.pid)
    print("child getppid == parent pid:", cppid == os.getpid())
    print("current_process().pid in child == p.pid:", cur == p.pid)
    print("pid kept after join:", p.pid == cpid)
    print("main pid:", mp.current_process().pid == os.getpid())
    pids = set()
    for i in range(3):
        c = mp.Process(target=child, args=(q,))
        c.start()
        pids.add(q.get()[0])
        c.join()
    print("three more distinct pids:", len(pids), os.getpid() not in pids)
