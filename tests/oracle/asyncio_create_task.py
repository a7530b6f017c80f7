# create_task schedules a coroutine; awaiting the task gives its result; done()/result().
import asyncio


async def sleep_until(deadline):
    # call_at with a shared base: timers fire in deadline order even after a stall
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_at(deadline, fut.set_result, None)
    await fut


async def double(x, deadline):
    await sleep_until(deadline)
    print("double", x)
    return 2 * x


async def main():
    base = asyncio.get_running_loop().time()
    t1 = asyncio.create_task(double(1, base + 0.03))
    t2 = asyncio.create_task(double(2, base + 0.01))
    t3 = asyncio.ensure_future(double(3, base + 0.02))
    print("done before await:", t1.done(), t2.done(), t3.done())
    r1 = await t1
    print("after t1:", r1, t2.done(), t3.done(), t2.result(), t3.result())
    try:
        asyncio.create_task(double(4, 0)).result()
    except asyncio.InvalidStateError as e:
        print("InvalidStateError:", e)
    await asyncio.sleep(0.01)


asyncio.run(main())
