# call_soon runs in FIFO order before timers; call_later/call_at ordered by deadline; cancel.
import asyncio


def cb(tag, log):
    log.append(tag)


async def main():
    loop = asyncio.get_running_loop()
    log = []
    loop.call_later(0, cb, "later 0", log)
    now = loop.time()
    loop.call_at(now + 0.01, cb, "at +0.01", log)
    h = loop.call_later(0.02, cb, "cancelled", log)
    loop.call_soon(cb, "soon 1", log)
    loop.call_later(0.03, cb, "later 0.03", log)
    loop.call_soon(cb, "soon 2", log)
    h.cancel()
    print("handle cancelled:", h.cancelled(), "when is a deadline:", h.when() >= now + 0.02)
    await asyncio.sleep(0)
    print(log)
    await asyncio.sleep(0.05)
    print(log)
    fut = loop.create_future()
    loop.call_later(0.01, fut.set_result, "future done by timer")
    print(await fut)


asyncio.run(main())
