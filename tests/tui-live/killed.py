# A scenario that kills its own engine: the TUI shows what it printed and
# how the engine died, and stays usable.
import os
import signal
import time

print("antes")
time.sleep(0.01)
os.kill(os.getpid(), signal.SIGKILL)
print("nunca")
