# Reuse: a timer (signal.alarm) still pending when the run ends.
import _signal
import threading

print(_signal.alarm(0))
_signal.alarm(100)
t = threading.Thread(target=print, args=("hilo",))
t.start()
t.join()
