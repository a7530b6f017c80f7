# Async generators: async for, async comprehensions, aclose and finally blocks.
import asyncio


async def ticks(n, delay):
    try:
        for i in range(n):
            await asyncio.sleep(delay)
            yield i
    finally:
        print("ticks finally", n)


async def main():
    async for i in ticks(3, 0.01):
        print("tick", i)
    squares = [i * i async for i in ticks(4, 0)]
    print("squares:", squares)
    evens = [i async for i in ticks(6, 0) if i % 2 == 0]
    print("evens:", evens)
    gen = ticks(10, 0)
    print("first:", await gen.__anext__(), "second:", await anext(gen))
    await gen.aclose()
    print("after aclose")
    try:
        await anext(gen)
    except StopAsyncIteration:
        print("StopAsyncIteration")
    print("default:", await anext(ticks(0, 0), "empty"))


asyncio.run(main())
