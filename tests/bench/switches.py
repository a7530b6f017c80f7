# Switch-heavy: two threads hammer a shared counter while the preempt
# policy may switch at any instruction.  For the hand-offs-per-second bench.
import threading

counter = 0


def work():
    global counter
    for _ in range(20000):
        counter += 1


threads = [threading.Thread(target=work) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("done")
