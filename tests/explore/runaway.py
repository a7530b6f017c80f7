# Explore scenario: two threads that never end; only the step bound stops
# each run.
import threading

n = 0


def girar():
    global n
    while True:
        n += 1


for _ in range(2):
    threading.Thread(target=girar, daemon=True).start()
while True:
    pass
