# Reuse: descriptors left open change what the next os.pipe() returns.
import os
import threading

r, w = os.pipe()
print(r, w)
t = threading.Thread(target=os.write, args=(w, b"x"))
t.start()
t.join()
print(os.read(r, 1))
