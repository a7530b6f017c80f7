# TaskGroup with two failing tasks: siblings cancelled, uncaught ExceptionGroup, exit 1.
import asyncio


async def bad(n):
    await asyncio.sleep(0)  # both fail in the same loop pass
    raise ValueError(f"bad {n}")


async def sibling():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("sibling cancelled")
        raise


async def main():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(sibling())
        tg.create_task(bad(1))
        tg.create_task(bad(2))
    print("not reached")


asyncio.run(main())
