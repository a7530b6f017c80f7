# An exception in a call_soon callback is logged ("Exception in callback") and the loop goes on.
import asyncio


def cb(n):
    print("callback", n)
    if n == 2:
        raise ZeroDivisionError("callback failed")


async def main():
    loop = asyncio.get_running_loop()
    for n in range(1, 4):
        loop.call_soon(cb, n)
    await asyncio.sleep(0.01)
    print("loop still running")


asyncio.run(main())
