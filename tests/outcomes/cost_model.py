# Outcome scenario: the cost model.  Prints how much more virtual time
# (ns) 2000 iterations of a loop take than 1000, alone (charged at
# CPython's eval-breaker checks, a forward jump as if not taken) and in a
# thread while another one is alive (each instruction as it runs).
import threading
import time


def straight(n):
    x = 0
    for i in range(n):
        x = i + 1
    return x


def branchy(n):
    a = b = 0
    for i in range(n):
        if i % 2:
            a += 1
        else:
            b += 1
    return a + b


def measure(f, n):
    t0 = time.perf_counter_ns()
    f(n)
    return time.perf_counter_ns() - t0


def report(tag):
    for f in (straight, branchy):
        print(f"{tag} {f.__name__}: {measure(f, 2000) - measure(f, 1000)}")


report("alone")
t = threading.Thread(target=report, args=("thread",))
t.start()
t.join()
