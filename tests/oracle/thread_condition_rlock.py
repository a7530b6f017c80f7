# Condition over an RLock held twice: wait() releases all levels and restores them after.
import threading

rl = threading.RLock()
cond = threading.Condition(rl)
flag = []
probe = []


def setter():
    probe.append(("setter got lock", rl.acquire(timeout=1)))
    flag.append(True)
    cond.notify()
    rl.release()


with cond:
    with cond:
        t = threading.Thread(target=setter)
        t.start()
        ok = cond.wait_for(lambda: flag, timeout=5)
        print("woken:", ok)
        rl.release()
        print("still own after one release:", rl._is_owned())
        rl.acquire()
t.join()
print(probe)
c2 = threading.Condition()
print("default lock is RLock-like:", c2.acquire(), c2.acquire())
c2.release()
c2.release()
