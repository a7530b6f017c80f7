# ProcessPoolExecutor with as_completed (collected and sorted), wait(ALL_COMPLETED) and done callbacks.
from concurrent.futures import ProcessPoolExecutor, as_completed, wait, ALL_COMPLETED, FIRST_EXCEPTION


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def maybe_fail(n):
    if n == 2:
        raise RuntimeError("task 2 failed")
    return n


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as ex:
        futs = {ex.submit(fib, n): n for n in range(15, 22)}
        print(sorted((futs[f], f.result()) for f in as_completed(futs)))
        fs = [ex.submit(fib, n) for n in (5, 10, 20)]
        done, not_done = wait(fs, return_when=ALL_COMPLETED)
        print(len(done), len(not_done), [f.result() for f in fs])
        calls = []
        f = ex.submit(fib, 12)
        f.add_done_callback(lambda fut: calls.append(fut.result()))
        f.result()
        fs = [ex.submit(maybe_fail, n) for n in range(4)]
        done, _ = wait(fs, return_when=FIRST_EXCEPTION)
        print("an exception among done:", any(x.exception() for x in done))
        wait(fs)
        print([type(x.exception()).__name__ if x.exception() else x.result() for x in fs])
    print("done callback saw:", calls)
