# os.register_at_fork hooks run around multiprocessing's fork: before and after_in_parent here, after_in_child there.
import multiprocessing as mp
import os

log = []
os.register_at_fork(before=lambda: log.append("before"),
                    after_in_parent=lambda: log.append("after_in_parent"),
                    after_in_child=lambda: log.append("after_in_child"))


def child(q):
    q.put(list(log))


if __name__ == "__main__":
    log.append("start")
    q = mp.Queue()
    p = mp.Process(target=child, args=(q,))
    p.start()
    print("child saw:", q.get())
    p.join()
    print("parent log:", log)
    p2 = mp.Process(target=child, args=(q,))
    p2.start()
    print("second child saw:", q.get())
    p2.join()
    print("parent log:", log)
