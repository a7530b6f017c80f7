# Outcome scenario: 2 threads x 1000 unlocked `counter += 1` on a global; prints the final counter.
import threading

N = 1000
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
