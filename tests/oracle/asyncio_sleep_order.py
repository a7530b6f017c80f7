# Tasks sleeping until different deadlines (one shared base) wake in deadline order.
import asyncio


async def sleep_until(deadline):
    # call_at with a shared base: timers fire in deadline order even after a stall
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_at(deadline, fut.set_result, None)
    await fut


async def nap(name, deadline, log):
    await sleep_until(deadline)
    print("woke", name)
    log.append(name)


async def main():
    log = []
    loop = asyncio.get_running_loop()
    base = loop.time()
    delays = {"d": 0.04, "b": 0.02, "a": 0.01, "e": 0.05, "c": 0.03}
    await asyncio.gather(*(nap(n, base + d, log) for n, d in delays.items()))
    print("".join(log))
    t0 = loop.time()
    await asyncio.sleep(0.1)
    print("slept:", round(loop.time() - t0, 1))
    await asyncio.sleep(-1)
    print("negative sleep returns")


asyncio.run(main())
