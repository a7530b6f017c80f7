# A failed task that main never awaits is reported when main's last reference goes away.
import asyncio


async def worker():
    await asyncio.sleep(0)
    raise ValueError("nobody awaited me")


async def main():
    t = asyncio.create_task(worker(), name="orphan")
    await asyncio.sleep(0.01)
    print("main returns without awaiting; failed:", t.done())


asyncio.run(main())
print("after run")
