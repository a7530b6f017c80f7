# gather returns results in argument order regardless of completion order.
import asyncio


async def job(name, delay):
    loop = asyncio.get_running_loop()
    await asyncio.sleep(BASE + delay - loop.time())  # absolute deadline from a common base
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
