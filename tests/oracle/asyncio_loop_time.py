# loop.time(), time.monotonic and perf_counter advance with asyncio.sleep; printed rounded.
import asyncio
import time


async def main():
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    m0 = time.monotonic()
    p0 = time.perf_counter()
    await asyncio.sleep(0.3)
    print("loop elapsed:", round(loop.time() - t0, 1))
    print("monotonic elapsed:", round(time.monotonic() - m0, 1))
    print("perf_counter elapsed:", round(time.perf_counter() - p0, 1))
    t1 = loop.time()
    await asyncio.gather(asyncio.sleep(0.05), asyncio.sleep(0.1))
    print("gather of sleeps takes the longest one:", round(loop.time() - t1, 1))
    print("loop.time is monotonic clock:", abs(loop.time() - time.monotonic()) < 0.05)


asyncio.run(main())
