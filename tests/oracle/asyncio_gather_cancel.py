# Cancelling a gather future cancels its children; return_exceptions reports CancelledError.
import asyncio


async def sleeper(n):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("child", n, "cancelled")
        raise


async def main():
    g = asyncio.gather(sleeper(1), sleeper(2))
    await asyncio.sleep(0.01)
    print("cancel:", g.cancel())
    try:
        await g
    except asyncio.CancelledError:
        print("gather cancelled:", g.cancelled())
    t = asyncio.create_task(sleeper(3))
    await asyncio.sleep(0)
    t.cancel()
    print(await asyncio.gather(t, asyncio.sleep(0, "ok"), return_exceptions=True))


asyncio.run(main())
