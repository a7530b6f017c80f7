# Reuse: sys.exit(3) after the threads.
import sys
import threading

t = threading.Thread(target=print, args=("hilo",))
t.start()
t.join()
sys.exit(3)
