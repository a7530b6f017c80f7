# SystemExit in a thread ends only that thread, silently; the process exits 0.
import sys
import threading

log = []


def worker():
    log.append("before exit")
    sys.exit(7)
    log.append("after exit")


def raiser():
    raise SystemExit("text ignored too")


for fn in (worker, raiser):
    t = threading.Thread(target=fn)
    t.start()
    t.join()
print(log)
print("main still running")
