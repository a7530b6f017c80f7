# asyncio.sleep(0) yields to the loop: tasks interleave in creation order, round by round.
import asyncio


async def worker(name, steps):
    for i in range(steps):
        print(f"{name} step {i}")
        await asyncio.sleep(0)
    print(f"{name} done")


async def main():
    tasks = [asyncio.create_task(worker(n, s)) for n, s in (("a", 3), ("b", 1), ("c", 2))]
    print("tasks created, none started")
    await asyncio.sleep(0)
    print("main after first yield")
    await asyncio.gather(*tasks)
    print("all finished")


asyncio.run(main())
