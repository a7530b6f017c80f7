# asyncio.Queue with worker tasks: join() waits for task_done; workers cancelled afterwards.
import asyncio


async def worker(name, q, out):
    while True:
        item = await q.get()
        await asyncio.sleep(0.001 * item)
        out.append(item)
        q.task_done()


async def main():
    q = asyncio.Queue()
    out = []
    for i in range(6):
        q.put_nowait(i)
    workers = [asyncio.create_task(worker(f"w{n}", q, out)) for n in range(2)]
    await q.join()
    print("queue drained:", sorted(out))
    for w in workers:
        w.cancel()
    res = await asyncio.gather(*workers, return_exceptions=True)
    print([type(r).__name__ for r in res])
    print("join with nothing queued returns:", await q.join())


asyncio.run(main())
