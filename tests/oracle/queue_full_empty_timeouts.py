# Bounded Queue: Full and Empty from nowait calls and from timed put/get.
import queue

q = queue.Queue(maxsize=2)
q.put(1)
q.put(2)
print("full:", q.full(), "qsize:", q.qsize())
for label, call in [
    ("put_nowait", lambda: q.put_nowait(3)),
    ("put block=False", lambda: q.put(3, block=False)),
    ("put timeout", lambda: q.put(3, timeout=0.03)),
]:
    try:
        call()
    except queue.Full as e:
        print(label, "-> Full", repr(str(e)))
print(q.get(), q.get())
for label, call in [
    ("get_nowait", q.get_nowait),
    ("get block=False", lambda: q.get(False)),
    ("get timeout", lambda: q.get(timeout=0.03)),
]:
    try:
        call()
    except queue.Empty:
        print(label, "-> Empty")
try:
    q.get(timeout=-1)
except ValueError as e:
    print("ValueError:", e)
try:
    q.put(1, timeout=-1)
except ValueError as e:
    print("ValueError:", e)
