# Outcome scenario: 2 threads x N unlocked `counter += 1` on a global (N is
# argv[1], default 1000); prints the final counter.
import sys
import threading

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
counter = 0


def work():
    global counter
    for _ in range(N):
        counter += 1  # LOAD_GLOBAL, BINARY_OP +=, STORE_GLOBAL: can be split


threads = [threading.Thread(target=work) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter)
