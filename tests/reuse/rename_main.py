# Reuse: renaming the main thread outlives the run; the next must not see it.
import threading

print(threading.main_thread().name)
threading.current_thread().name = "Principal"
t = threading.Thread(target=lambda: print(threading.main_thread().name))
t.start()
t.join()
