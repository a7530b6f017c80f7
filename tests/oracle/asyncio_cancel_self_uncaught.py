# The main task cancelled and not handled: asyncio.run raises CancelledError, exit 1.
import asyncio


async def helper(main_task):
    await asyncio.sleep(0.01)
    print("helper cancels main")
    main_task.cancel()


async def main():
    asyncio.create_task(helper(asyncio.current_task()))
    print("main waits")
    await asyncio.sleep(1)
    print("not reached")


asyncio.run(main())
