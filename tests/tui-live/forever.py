# Two threads that never end: the TUI must run them only as far as the
# user looks (live mode), and End follows them until told to stop.
import threading
import time

n = 0


def tick(name):
    global n
    while True:
        n += 1
        print(name, n)
        time.sleep(0.01)


for i in range(2):
    threading.Thread(target=tick, args=(f"t{i}",)).start()
