# Reuse: a name added to builtins, and print replaced, outlive the run.
import builtins
import threading

print(hasattr(builtins, "marca"))
builtins.marca = 1
real = builtins.print
builtins.print = lambda *a, **k: real("patched", *a, **k)
t = threading.Thread(target=print, args=("hilo",))
t.start()
t.join()
