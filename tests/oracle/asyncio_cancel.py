# Task.cancel with and without a message; CancelledError caught, re-raised or swallowed.
import asyncio


async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        print("stubborn caught:", e.args)
        return "ignored cancel"


async def cleanup():
    try:
        await asyncio.sleep(10)
    finally:
        print("cleanup finally runs")


async def main():
    t1 = asyncio.create_task(stubborn())
    t2 = asyncio.create_task(cleanup())
    await asyncio.sleep(0)
    print("cancel t1:", t1.cancel("stop please"))
    print("cancel t2:", t2.cancel())
    print("cancelling:", t1.cancelling(), t2.cancelling())
    print("t1 result:", await t1, "cancelled:", t1.cancelled())
    try:
        await t2
    except asyncio.CancelledError as e:
        print("t2 CancelledError args:", e.args, "cancelled:", t2.cancelled())
    print("cancel done task:", t1.cancel())
    t3 = asyncio.create_task(asyncio.sleep(1))
    t3.cancel(msg="before start")
    try:
        await t3
    except asyncio.CancelledError as e:
        print("t3:", e.args)
    print("is BaseException:", issubclass(asyncio.CancelledError, BaseException),
          issubclass(asyncio.CancelledError, Exception))


asyncio.run(main())
