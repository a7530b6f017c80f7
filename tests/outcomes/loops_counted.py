# Outcome scenario: loops that telar counts from their range iterator
# instead of checking each iteration (THE COST MODEL in telar.1), next to
# what can interrupt them: a dunder method in Python, an exception, a
# finaliser, a clock read after the loop, a comprehension, a generator, a
# nested loop.  Prints results and the virtual time each part took; a run
# with TELAR_NO_PRECHARGE must print the same and take the same steps.
import time


class V:
    def __init__(self, x):
        self.x = x

    def __add__(self, other):
        return V(self.x + other)


class D:
    def __del__(self):
        global finalised
        finalised += 1


finalised = 0


def dunder(n):
    t = V(0)
    for i in range(n):
        t = t + i
    return t.x


def raises(n):
    s = 0
    for i in range(n):
        s += 100 // (n // 2 - i)
    return s


def finalisers(n):
    for i in range(n):
        d = D()
    return finalised


def gen(n):
    for i in range(n):
        yield i * 2


def nested(n):
    s = 0
    for j in range(n):
        for i in range(n):
            s += i ^ j
    return s


def part(name, f, *args):
    t0 = time.perf_counter_ns()
    try:
        r = f(*args)
    except ZeroDivisionError as e:
        r = f"ZeroDivisionError: {e}"
    print(f"{name}: {r} in {time.perf_counter_ns() - t0} ns")


part("dunder", dunder, 3000)
part("raises", raises, 6000)
part("finalisers", finalisers, 2000)
part("comprehension", lambda n: sum([i * i for i in range(n)]), 3000)
part("generator", lambda n: sum(gen(n)), 3000)
part("nested", nested, 60)
t0 = time.perf_counter_ns()
x = 0
for i in range(5000):
    x = x + i * 2
print(f"module loop: {x} in {time.perf_counter_ns() - t0} ns")
