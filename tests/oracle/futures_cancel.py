# cancel(): a running future cannot be cancelled, a pending one can; cancel_futures on shutdown.
import threading
from concurrent.futures import CancelledError, ThreadPoolExecutor

started = threading.Event()
release = threading.Event()


def blocker():
    started.set()
    release.wait()
    return "blocker done"


ex = ThreadPoolExecutor(max_workers=1)
running = ex.submit(blocker)
pending = ex.submit(str.upper, "never")
started.wait()
print("running:", running.running(), "pending running:", pending.running())
print("cancel running:", running.cancel())
print("cancel pending:", pending.cancel())
print("cancelled:", pending.cancelled(), "done:", pending.done())
try:
    pending.result()
except CancelledError as e:
    print("CancelledError", type(e).__module__)
queued = [ex.submit(str, i) for i in range(3)]
ex.shutdown(wait=False, cancel_futures=True)  # cancels the queued ones while blocker runs
release.set()
print(running.result())
ex.shutdown(wait=True)
print("queued outcome:", [("cancelled" if f.cancelled() else f.result()) for f in queued])
