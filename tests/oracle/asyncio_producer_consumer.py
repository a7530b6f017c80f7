# Producer/consumer tasks over a bounded asyncio.Queue; put blocks when full.
import asyncio


async def producer(q, n):
    for i in range(n):
        await q.put(i)
        print(f"put {i} (size {q.qsize()})")
    await q.put(None)


async def consumer(q):
    total = 0
    while (item := await q.get()) is not None:
        print(f"  got {item}")
        total += item
        await asyncio.sleep(0)
    return total


async def main():
    q = asyncio.Queue(maxsize=2)
    _, total = await asyncio.gather(producer(q, 5), consumer(q))
    print("total", total)


asyncio.run(main())
