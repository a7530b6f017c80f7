# Reuse: random's state and os.urandom start where a fresh run starts.
import os
import random
import threading


def work():
    print(random.randint(0, 999))


t = threading.Thread(target=work)
t.start()
print(random.random() < 2, os.urandom(2).hex())
t.join()
