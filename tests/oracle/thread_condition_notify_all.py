# notify_all wakes every waiter; all are known to be waiting before the notify.
import threading

cond = threading.Condition()
ready = 0
go = False
woken = []


def waiter(i):
    global ready
    with cond:
        ready += 1
        cond.notify_all()
        cond.wait_for(lambda: go)
        woken.append(i)


ts = [threading.Thread(target=waiter, args=(i,)) for i in range(5)]
for t in ts:
    t.start()
with cond:
    cond.wait_for(lambda: ready == 5)
    print("all waiting:", ready)
    go = True
    cond.notify_all()
for t in ts:
    t.join()
print("woken:", sorted(woken))
