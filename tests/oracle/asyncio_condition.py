# asyncio.Condition: notify(n), notify_all and wait_for with a shared counter.
import asyncio


async def consumer(cond, state, name, out):
    async with cond:
        await cond.wait_for(lambda: state["items"] > 0)
        state["items"] -= 1
        out.append(name)
        print(name, "consumed; left", state["items"])


async def main():
    cond = asyncio.Condition()
    state = {"items": 0}
    out = []
    tasks = [asyncio.create_task(consumer(cond, state, f"c{i}", out)) for i in range(4)]
    await asyncio.sleep(0)
    async with cond:
        state["items"] = 1
        cond.notify(1)
    await tasks[0]  # c0 waited longest, so notify(1) wakes it
    print("after notify(1):", out)
    async with cond:
        state["items"] = 3
        cond.notify_all()
    await asyncio.gather(*tasks)
    print("all:", out)
    try:
        cond.notify()
    except RuntimeError as e:
        print("RuntimeError:", e)


asyncio.run(main())
