# asyncio.Event: waiters released by set(); clear(); wait with wait_for timeout.
import asyncio


async def waiter(name, ev):
    print(name, "waiting")
    await ev.wait()
    print(name, "released")


async def main():
    ev = asyncio.Event()
    print("is_set:", ev.is_set())
    tasks = [asyncio.create_task(waiter(n, ev)) for n in ("w1", "w2")]
    await asyncio.sleep(0.01)
    print("setting")
    ev.set()
    await asyncio.gather(*tasks)
    print("wait on set event:", await ev.wait())
    ev.clear()
    try:
        await asyncio.wait_for(ev.wait(), 0.02)
    except TimeoutError:
        print("wait timed out, is_set:", ev.is_set())


asyncio.run(main())
