# Outcome scenario: 2 threads x N `tmp = counter; f(); counter = tmp + 1`
# (N is argv[1], default 1000); prints the final counter.
import sys
import threading

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
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
