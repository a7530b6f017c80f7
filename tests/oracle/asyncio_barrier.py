# asyncio.Barrier (3.11): parties, wait indices, abort -> BrokenBarrierError.
import asyncio


async def party(b, name, out):
    idx = await b.wait()
    out.append((name, idx))


async def main():
    b = asyncio.Barrier(3)
    print("parties:", b.parties, "n_waiting:", b.n_waiting, "broken:", b.broken)
    out = []
    await asyncio.gather(*(party(b, n, out) for n in "xyz"))
    print(out)
    t = asyncio.create_task(party(b, "lonely", out))
    await asyncio.sleep(0.01)
    print("n_waiting:", b.n_waiting)
    await b.abort()
    try:
        await t
    except asyncio.BrokenBarrierError:
        print("BrokenBarrierError, broken:", b.broken)
    await b.reset()
    print("after reset:", b.broken)


asyncio.run(main())
