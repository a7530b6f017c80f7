# Bad input: prints (flushed, so CPython shows it too) then leaves with os._exit(5): no cleanup, status 5.
import atexit
import os

atexit.register(print, "atexit must not run")
print("before os._exit", flush=True)
try:
    os._exit(5)
finally:
    print("finally must not run")
