# Condition: consumer waits for items that a producer appends and notifies.
import threading

cond = threading.Condition()
items = []
done = False


def producer():
    global done
    for i in range(5):
        with cond:
            items.append(i)
            cond.notify()
    with cond:
        done = True
        cond.notify()


consumed = []
t = threading.Thread(target=producer)
t.start()
while True:
    with cond:
        while not items and not done:
            cond.wait()
        if items:
            consumed.append(items.pop(0))
        elif done:
            break
t.join()
print("consumed:", consumed)
