# notify(1) wakes the longest-waiting thread first (FIFO waiter queue).
import threading

cond = threading.Condition()
tickets = 0
woken = []
in_wait = [threading.Event() for _ in range(4)]


def waiter(i):
    global tickets
    with cond:
        in_wait[i].set()  # cond is released only inside wait() below
        while True:
            cond.wait()
            if tickets:
                tickets -= 1
                woken.append(i)
                cond.notify_all()
                return


ts = []
for i in range(4):
    t = threading.Thread(target=waiter, args=(i,))
    ts.append(t)
    t.start()
    in_wait[i].wait()
    with cond:  # acquired only once waiter i is waiting
        pass
with cond:
    tickets = 1
    cond.notify(1)
    cond.wait_for(lambda: len(woken) == 1)
print("first woken:", woken)
with cond:
    tickets = 3
    cond.notify(3)
for t in ts:
    t.join()
print("all woken:", sorted(woken))
