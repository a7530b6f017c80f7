# run_in_executor with an explicit one-worker pool and with the default pool (None).
import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor


def blocking(n):
    return n * n, threading.current_thread().name


def plain(x):
    return threading.current_thread() is not threading.main_thread(), x + 1


async def main():
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="blk") as pool:
        results = await asyncio.gather(*(loop.run_in_executor(pool, blocking, n) for n in range(4)))
        print(results)
    print("default pool:", await loop.run_in_executor(None, plain, 41))
    fut = loop.run_in_executor(None, plain, 1)
    print("is asyncio future:", isinstance(fut, asyncio.Future))
    print(await fut)
    try:
        await loop.run_in_executor(None, int, "x")
    except ValueError as e:
        print("ValueError:", e)


asyncio.run(main())
print("executor threads gone:", threading.active_count())
