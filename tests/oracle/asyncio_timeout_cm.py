# asyncio.timeout / timeout_at context managers: expiry, reschedule, expired(), when().
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(0.02) as cm:
            await asyncio.sleep(1)
    except TimeoutError:
        print("timed out, expired:", cm.expired())
    async with asyncio.timeout(None) as cm:
        print("when None:", cm.when())
        cm.reschedule(loop.time() + 0.5)
        await asyncio.sleep(0.01)
    print("not expired:", cm.expired())
    try:
        async with asyncio.timeout_at(loop.time() + 0.02):
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                print("inner sees CancelledError")
                raise
    except TimeoutError as e:
        print("timeout_at -> TimeoutError", repr(e), e.__cause__.__class__.__name__)
    async with asyncio.timeout(0.5):
        await asyncio.sleep(0.01)
    print("finished within timeout")
    try:
        async with asyncio.timeout(-1):
            await asyncio.sleep(0)
    except TimeoutError:
        print("past deadline times out at first await")


asyncio.run(main())
