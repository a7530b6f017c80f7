# asyncio.as_completed yields awaitables in completion order (deadlines well apart); timeout.
import asyncio


async def sleep_until(deadline):
    # call_at with a shared base: timers fire in deadline order even after a stall
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_at(deadline, fut.set_result, None)
    await fut


async def job(name, deadline):
    await sleep_until(deadline)
    return name


async def main():
    base = asyncio.get_running_loop().time()
    coros = [job("c", base + 0.06), job("a", base + 0.02), job("b", base + 0.04)]
    for nxt in asyncio.as_completed(coros):
        print("completed:", await nxt)
    got = []
    base = asyncio.get_running_loop().time()
    try:
        for nxt in asyncio.as_completed([job("fast", base + 0.01), job("slow", base + 1)],
                                        timeout=0.05):
            got.append(await nxt)
    except TimeoutError:
        print("as_completed timeout after", got)


asyncio.run(main())
