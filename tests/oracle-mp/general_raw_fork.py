# Raw os.fork: a pending buffered line is printed by both processes, atexit runs in both, waitpid statuses.
import atexit
import os
import sys

atexit.register(lambda: print("atexit in", "child" if os.getpid() != PARENT else "parent"))
PARENT = os.getpid()
print("pending line before fork")
pid = os.fork()
if pid == 0:
    print("child after fork")
    sys.exit(4)
_, status = os.waitpid(pid, 0)
print("child exit status:", os.waitstatus_to_exitcode(status))
sys.stdout.flush()
pid = os.fork()
if pid == 0:
    print("second child: nothing pending, then os._exit")
    sys.stdout.flush()
    os._exit(9)
_, status = os.waitpid(pid, 0)
print("second child:", os.WIFEXITED(status), os.WEXITSTATUS(status))
