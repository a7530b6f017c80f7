# A thread hands results to the loop with call_soon_threadsafe; the loop awaits a Future.
import asyncio
import threading


def producer(loop, fut, box):
    box.append("computed in thread")
    loop.call_soon_threadsafe(fut.set_result, len(box))


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    box = []
    t = threading.Thread(target=producer, args=(loop, fut, box))
    t.start()
    print("result via threadsafe:", await fut, box)
    t.join()
    q = asyncio.Queue()

    def feeder():
        for i in range(3):
            loop.call_soon_threadsafe(q.put_nowait, i)
        loop.call_soon_threadsafe(q.put_nowait, None)

    t = threading.Thread(target=feeder)
    t.start()
    while (item := await q.get()) is not None:
        print("item", item)
    t.join()


asyncio.run(main())
