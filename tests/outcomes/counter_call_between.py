# Outcome scenario: 2 threads x 1000 `tmp = counter; f(); counter = tmp + 1`; prints the final counter.
import threading

N = 1000
counter = 0


def f():
    pass


def work():
    global counter
    for _ in range(N):
        tmp = counter
        f()  # a call between read and write: CPython 3.11 may switch here
        counter = tmp + 1


threads = [threading.Thread(target=work) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter)
