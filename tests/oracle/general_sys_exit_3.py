# sys.exit(3) ends the program with exit status 3; finally blocks and atexit still run.
import atexit
import sys

atexit.register(lambda: print("atexit runs"))
try:
    print("about to exit")
    sys.exit(3)
finally:
    print("finally runs")
print("never printed")
