# asyncio.PriorityQueue and LifoQueue ordering; a getter waiting on an empty queue.
import asyncio


async def main():
    pq = asyncio.PriorityQueue()
    for item in [(3, "low"), (1, "high"), (2, "mid")]:
        await pq.put(item)
    print([pq.get_nowait() for _ in range(3)])
    lq = asyncio.LifoQueue(maxsize=3)
    for x in range(3):
        lq.put_nowait(x)
    try:
        lq.put_nowait(3)
    except asyncio.QueueFull:
        print("LifoQueue full")
    print([await lq.get() for _ in range(3)])

    async def late_put():
        await asyncio.sleep(0.01)
        await pq.put((0, "late"))

    t = asyncio.create_task(late_put())
    print("waiting getter got:", await pq.get())
    await t


asyncio.run(main())
