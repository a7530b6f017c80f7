# Exceptions raised in a task are stored and re-raised by result(); exception() returns them.
from concurrent.futures import ThreadPoolExecutor


class AppError(Exception):
    pass


def fail(n):
    if n % 2:
        raise AppError(f"odd {n}")
    return n


with ThreadPoolExecutor(max_workers=2) as ex:
    futs = [ex.submit(fail, n) for n in range(4)]
for f in futs:
    exc = f.exception()
    print("exception:", repr(exc))
    try:
        print("result:", f.result())
    except AppError as e:
        print("raised:", e, "same object:", e is exc)
        print("traceback kept:", e.__traceback__ is not None)
