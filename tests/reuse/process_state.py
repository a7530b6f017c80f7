# Reuse: the working directory, the recursion limit and the collector.
import gc
import os
import sys
import threading

print(os.getcwd() == "/", sys.getrecursionlimit(), gc.isenabled())
os.chdir("/")
sys.setrecursionlimit(500)
gc.disable()
t = threading.Thread(target=print, args=("hilo",))
t.start()
t.join()
