# A task whose exception is never retrieved: logged on stderr when the task is freed.
import asyncio
import gc


async def bad():
    await asyncio.sleep(0)
    raise RuntimeError("lost")


async def main():
    t = asyncio.create_task(bad())
    await asyncio.sleep(0.01)
    print("task done:", t.done())
    del t
    gc.collect()
    print("after del and gc.collect")
    await asyncio.sleep(0)
    print("main ends")


asyncio.run(main())
print("exit status stays 0")
