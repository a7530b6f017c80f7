# current_process() and parent_process() in the main process, a child and a grandchild.
import multiprocessing as mp
import os


def describe():
    par = mp.parent_process()
    return (mp.current_process().name,
            None if par is None else par.name,
            None if par is None else par.pid == os.getppid(),
            None if par is None else par.is_alive())


def grandchild(q):
    q.put(("grandchild",) + describe())


def child(q):
    q.put(("child",) + describe())
    g = mp.Process(target=grandchild, args=(q,))
    g.start()
    g.join()


if __name__ == "__main__":
    print("main:", describe())
    print("main_process name:", mp.current_process().name, type(mp.current_process()).__name__)
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,))
    p.start()
    print(q.get())
    print(q.get())
    p.join()
    print("active_children after join:", mp.active_children())
