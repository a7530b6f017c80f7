# as_completed(timeout) raises TimeoutError naming how many futures are unfinished.
import threading
from concurrent.futures import ThreadPoolExecutor, TimeoutError, as_completed

release = threading.Event()


def blocked(n):
    release.wait()
    return n


with ThreadPoolExecutor(max_workers=3) as ex:
    futs = [ex.submit(blocked, n) for n in range(2)] + [ex.submit(lambda: "fast")]
    futs[2].result()  # the fast one is finished before as_completed starts
    got = []
    try:
        for f in as_completed(futs, timeout=0.05):
            got.append(f.result())
    except TimeoutError as e:
        print("TimeoutError:", e)
    print("got before timeout:", got)
    release.set()
    print(sorted(str(f.result()) for f in as_completed(futs)))
