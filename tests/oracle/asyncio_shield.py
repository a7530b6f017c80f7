# shield: cancelling the outer await leaves the inner task running to completion.
import asyncio


async def important(log, gate):
    await gate.wait()
    log.append("important finished")
    return "saved"


async def main():
    log = []
    gate = asyncio.Event()
    inner = asyncio.create_task(important(log, gate))
    try:
        await asyncio.wait_for(asyncio.shield(inner), timeout=0.01)
    except TimeoutError:
        print("outer timed out; inner cancelled?", inner.cancelled(), "done?", inner.done())
    gate.set()
    print("inner result:", await inner, log)

    async def waiter():
        return await asyncio.shield(asyncio.sleep(0.02, "x"))

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    w.cancel()
    try:
        await w
    except asyncio.CancelledError:
        print("waiter cancelled, shielded sleep keeps running")
    await asyncio.sleep(0.03)
    print("end")


asyncio.run(main())
