# Reuse: the plain case.  Two threads, an unlocked counter, names printed:
# a run that goes on in the process of the run before must print what a
# forked one prints (threading's "Thread-N" counter starts again).
import threading

counter = 0


def work():
    global counter
    for _ in range(2):
        counter += 1
    print(threading.current_thread().name)


threads = [threading.Thread(target=work) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter)
