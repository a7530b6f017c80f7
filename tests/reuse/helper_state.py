# Reuse: a module of the scenario's own keeps state between imports.
import threading

import reuse_helper

reuse_helper.veces += 1
t = threading.Thread(target=print, args=(reuse_helper.veces,))
t.start()
t.join()
