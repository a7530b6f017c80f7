# gather returns results in argument order regardless of completion order.
import asyncio


async def sleep_until(deadline):
    # call_at with a shared base: timers fire in deadline order even after a stall
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_at(deadline, fut.set_result, None)
    await fut


async def job(name, delay):
    await sleep_until(BASE + delay)
    print("finished", name)
    return name.upper()


async def main():
    global BASE
    BASE = asyncio.get_running_loop().time()
    results = await asyncio.gather(job("slow", 0.05), job("fast", 0.01), job("mid", 0.03))
    print(results)
    print("empty gather:", await asyncio.gather())
    fut = asyncio.get_running_loop().create_future()
    fut.set_result("from future")
    print(await asyncio.gather(fut, job("x", 0), asyncio.sleep(0, "plain")))


asyncio.run(main())
