# ThreadPoolExecutor.submit and Future.result; the with-block waits for every task.
from concurrent.futures import ThreadPoolExecutor


def power(base, exp=2):
    return base ** exp


with ThreadPoolExecutor(max_workers=3) as ex:
    futs = [ex.submit(power, n) for n in range(6)]
    cube = ex.submit(power, 3, exp=3)
    print([f.result() for f in futs])
    print("cube:", cube.result())
print("all done:", all(f.done() for f in futs))
print("none cancelled:", not any(f.cancelled() for f in futs))
print("exception() of success:", cube.exception())
