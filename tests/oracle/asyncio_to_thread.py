# asyncio.to_thread runs a blocking function in a thread while other tasks keep running.
import asyncio
import threading
import time

ticks = []


def blocking_io(done):
    done.wait()
    return "io result"


async def ticker(done):
    for i in range(3):
        ticks.append(i)
        await asyncio.sleep(0.01)
    done.set()


async def main():
    done = threading.Event()
    res, _ = await asyncio.gather(asyncio.to_thread(blocking_io, done), ticker(done))
    print(res, ticks)
    print(await asyncio.to_thread(sorted, [3, 1, 2], reverse=True))
    t0 = time.monotonic()
    await asyncio.to_thread(time.sleep, 0.2)
    print("thread slept at least 0.2 s:", time.monotonic() - t0 >= 0.19)
    try:
        await asyncio.to_thread(dict.__getitem__, {}, "k")
    except KeyError as e:
        print("KeyError from thread:", e)


asyncio.run(main())
