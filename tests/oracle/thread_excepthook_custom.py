# threading.excepthook replaced: receives exc_type, exc_value, thread; default restored.
import sys
import threading

seen = []


def hook(args):
    seen.append((args.exc_type.__name__, str(args.exc_value), args.thread.name,
                 args.exc_traceback is not None))


threading.excepthook = hook
t = threading.Thread(target=lambda: [][1], name="indexer")
t.start()
t.join()
t = threading.Thread(target=sys.exit, args=(4,), name="exiter")
t.start()
t.join()
for s in seen:
    print(s)
print("original kept:", threading.__excepthook__ is not hook)
threading.excepthook = threading.__excepthook__


def fail():
    raise ValueError("through default hook")


t = threading.Thread(target=fail, name="default-hook")
t.start()
t.join()
print("end")
