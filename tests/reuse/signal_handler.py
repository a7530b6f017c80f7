# Reuse: a signal handler set by the scenario outlives the run (_signal is
# the module every interpreter has loaded; signal would be a new import).
import _signal
import threading

print(_signal.getsignal(_signal.SIGUSR1))
_signal.signal(_signal.SIGUSR1, print)
t = threading.Thread(target=print, args=("hilo",))
t.start()
t.join()
