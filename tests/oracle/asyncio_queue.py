# asyncio.Queue: maxsize, QueueFull/QueueEmpty, put blocking until get, join/task_done.
import asyncio


async def main():
    q = asyncio.Queue(maxsize=2)
    print("maxsize:", q.maxsize, "empty:", q.empty())
    q.put_nowait("a")
    await q.put("b")
    print("full:", q.full(), "qsize:", q.qsize())
    try:
        q.put_nowait("c")
    except asyncio.QueueFull:
        print("QueueFull")
    putter = asyncio.create_task(q.put("c"))
    await asyncio.sleep(0)
    print("putter blocked:", not putter.done())
    print("got:", await q.get())
    await asyncio.sleep(0)
    print("putter done:", putter.done(), "qsize:", q.qsize())
    print([q.get_nowait(), q.get_nowait()])
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        print("QueueEmpty")
    for _ in range(3):
        q.task_done()
    try:
        q.task_done()
    except ValueError as e:
        print("ValueError:", e)
    try:
        await asyncio.wait_for(q.get(), 0.02)
    except TimeoutError:
        print("get timed out")
    await q.join()
    print("join returns at once when nothing unfinished")


asyncio.run(main())
