# asyncio.wait: FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED and timeout (done/pending sets).
import asyncio


async def job(name, gate=None, fail=False):
    if gate is not None:
        await gate.wait()  # held back until main opens the gate
    else:
        await asyncio.sleep(0.01)
    if fail:
        raise ValueError(name)
    return name


def names(tasks):
    return sorted(t.get_name() for t in tasks)


async def main():
    gate = asyncio.Event()
    ts = [asyncio.create_task(job("a", gate), name="a"),
          asyncio.create_task(job("b"), name="b"),
          asyncio.create_task(job("c", gate), name="c")]
    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_COMPLETED)
    print("first completed:", names(done), names(pending))
    done, pending = await asyncio.wait(ts, timeout=0.02)
    print("after timeout:", names(done), names(pending))
    gate.set()
    done, pending = await asyncio.wait(ts)
    print("all:", names(done), names(pending), [t.result() for t in ts])
    es = [asyncio.create_task(job("x", fail=True), name="x"),
          asyncio.create_task(job("y", asyncio.Event()), name="y")]
    done, pending = await asyncio.wait(es, return_when=asyncio.FIRST_EXCEPTION)
    print("first exception:", names(done), names(pending), repr(es[0].exception()))
    es[1].cancel()
    await asyncio.wait(es)
    print("y cancelled:", es[1].cancelled())
    try:
        await asyncio.wait([])
    except ValueError as e:
        print("ValueError:", e)


asyncio.run(main())
