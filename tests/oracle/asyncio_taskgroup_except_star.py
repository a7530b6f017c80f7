# TaskGroup errors caught with except*: one failure cancels the sibling and the body.
import asyncio


async def fail_soon():
    await asyncio.sleep(0.01)
    raise KeyError("missing")


async def long_job(log):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        log.append("long_job cancelled")
        raise


async def main():
    log = []
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(long_job(log))
            tg.create_task(fail_soon())
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                log.append("body cancelled")
                raise
    except* KeyError as eg:
        print("caught:", eg.message, [repr(e) for e in eg.exceptions])
    except* OSError:
        print("never")
    print(log)
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(asyncio.sleep(0.01))
            raise RuntimeError("body error")
    except* RuntimeError as eg:
        print("body error wrapped:", type(eg).__name__, eg.exceptions)


asyncio.run(main())
