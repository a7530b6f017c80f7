# RecursionError caught, then an uncaught exception raised from a nested helper (exit 1).
import sys

sys.setrecursionlimit(200)


def down(n):
    return down(n + 1)


try:
    down(0)
except RecursionError as e:
    print("RecursionError:", e)


def check(x):
    assert x > 0, f"x must be positive, got {x}"


check(1)
print("check(1) ok")
check(-5)
