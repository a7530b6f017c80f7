# wait_for: a timeout cancels the inner task and raises TimeoutError; fast coroutines pass.
import asyncio


async def slow(log):
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        log.append("inner cancelled")
        raise
    return "never"


async def main():
    print(await asyncio.wait_for(asyncio.sleep(0.01, "in time"), timeout=1))
    log = []
    try:
        await asyncio.wait_for(slow(log), timeout=0.05)
    except asyncio.TimeoutError as e:
        print("TimeoutError", type(e) is TimeoutError, log)
    print(await asyncio.wait_for(asyncio.sleep(0, "no timeout"), None))
    try:
        await asyncio.wait_for(slow(log), timeout=0)
    except TimeoutError:
        print("timeout=0 raises at once", log)
    t = asyncio.create_task(slow(log))
    try:
        await asyncio.wait_for(t, 0.02)
    except TimeoutError:
        print("task cancelled by wait_for:", t.cancelled())


asyncio.run(main())
