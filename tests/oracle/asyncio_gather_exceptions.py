# gather: return_exceptions=True collects errors; otherwise the first error propagates.
import asyncio


async def ok(n):
    await asyncio.sleep(0.01 * n)
    return n


async def bad(n, exc):
    await asyncio.sleep(0.01 * n)
    raise exc


async def held(gate):
    await gate.wait()
    return "survivor"


async def main():
    res = await asyncio.gather(ok(1), bad(2, ValueError("v")), ok(3), bad(1, KeyError("k")),
                               return_exceptions=True)
    print([repr(r) for r in res])
    gate = asyncio.Event()
    survivor = asyncio.create_task(held(gate))
    try:
        await asyncio.gather(bad(1, RuntimeError("first")), survivor)
    except RuntimeError as e:
        print("propagated:", e)
    print("survivor not cancelled:", survivor.cancelled(), "done:", survivor.done())
    gate.set()
    print("survivor result:", await survivor)


asyncio.run(main())
