# time.sleep advances monotonic and perf_counter; elapsed values printed rounded to 0.1 s.
import time

m0 = time.monotonic()
p0 = time.perf_counter()
n0 = time.monotonic_ns()
time.sleep(0.3)
print("monotonic:", round(time.monotonic() - m0, 1))
print("perf_counter:", round(time.perf_counter() - p0, 1))
print("monotonic_ns:", round((time.monotonic_ns() - n0) / 1e9, 1))
t0 = time.monotonic()
time.sleep(0)
print("sleep(0):", round(time.monotonic() - t0, 1))
try:
    time.sleep(-1)
except ValueError as e:
    print("ValueError:", e)
print("clocks are monotonic:", time.monotonic() >= m0, time.perf_counter() >= p0)
