# TaskGroup: waits for all tasks; tasks may be added from inside; results read afterwards.
import asyncio


async def sleep_until(deadline):
    # call_at with a shared base: timers fire in deadline order even after a stall
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_at(deadline, fut.set_result, None)
    await fut


async def fetch(n):
    await sleep_until(BASE + 0.01 * (3 - n))
    print("fetched", n)
    return n * 100


async def main():
    global BASE
    BASE = asyncio.get_running_loop().time()
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(fetch(n), name=f"fetch-{n}") for n in range(3)]

        async def spawner():
            await asyncio.sleep(0.005)
            tasks.append(tg.create_task(fetch(-1)))

        tg.create_task(spawner())
        print("inside group, not waited yet")
    print("after group:", [t.result() for t in tasks])
    print("names:", [t.get_name() for t in tasks[:3]])
    coro = fetch(0)
    try:
        tg.create_task(coro)
    except RuntimeError as e:
        print("RuntimeError:", e)
        coro.close()


asyncio.run(main())
