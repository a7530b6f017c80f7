# Thread with target, args and kwargs; results collected and printed after join.
import threading

results = {}


def work(key, a, b, *, scale=1, suffix=""):
    results[key] = f"{(a + b) * scale}{suffix}"


t1 = threading.Thread(target=work, args=("one", 1, 2))
t2 = threading.Thread(target=work, args=("two", 3, 4), kwargs={"scale": 10})
t3 = threading.Thread(target=work, args=("three",), kwargs={"a": 5, "b": 6, "suffix": "!"})
for t in (t1, t2, t3):
    t.start()
for t in (t1, t2, t3):
    t.join()
for key in ("one", "two", "three"):
    print(key, results[key])
print("no target:", threading.Thread().run())
print("alive after join:", [t.is_alive() for t in (t1, t2, t3)])
