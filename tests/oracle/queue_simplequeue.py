# queue.SimpleQueue: put/get, Empty on timeout, blocking get from a thread.
import queue
import threading

sq = queue.SimpleQueue()
print("empty:", sq.empty(), "qsize:", sq.qsize())
sq.put(1)
sq.put_nowait(2)
sq.put(3, block=False, timeout=5)
print(sq.get(), sq.get_nowait(), sq.get(block=False))
try:
    sq.get(timeout=0.03)
except queue.Empty:
    print("Empty after timeout")
try:
    sq.get_nowait()
except queue.Empty:
    print("Empty nowait")

replies = queue.SimpleQueue()


def echo():
    while (item := sq.get()) is not None:
        replies.put(item.upper())


t = threading.Thread(target=echo)
t.start()
for word in ["uno", "dos", "tres"]:
    sq.put(word)
    print("reply:", replies.get())
sq.put(None)
t.join()
