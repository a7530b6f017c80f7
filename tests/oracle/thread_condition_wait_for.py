# Condition.wait_for with a predicate, wait timeouts returning False, notify without lock.
import threading

cond = threading.Condition()
state = {"n": 0}


def bump():
    for _ in range(3):
        with cond:
            state["n"] += 1
            cond.notify_all()


with cond:
    print("wait timeout:", cond.wait(0.02))
    print("wait_for false:", cond.wait_for(lambda: state["n"] > 0, timeout=0.02))
t = threading.Thread(target=bump)
with cond:
    t.start()
    ok = cond.wait_for(lambda: state["n"] == 3)
    print("wait_for true:", ok, state["n"])
t.join()
with cond:
    print("wait_for returns predicate value:", cond.wait_for(lambda: "yes"))
try:
    cond.notify()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    cond.wait(0.01)
except RuntimeError as e:
    print("RuntimeError:", e)
