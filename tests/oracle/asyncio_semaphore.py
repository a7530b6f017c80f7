# asyncio.Semaphore limits concurrency; BoundedSemaphore rejects over-release.
import asyncio

active = 0
peak = 0


async def limited(sem, n):
    global active, peak
    async with sem:
        active += 1
        peak = max(peak, active)
        print("start", n)
        await asyncio.sleep(0.01 * (n + 1))  # releases are 10 ms apart
        active -= 1


async def main():
    sem = asyncio.Semaphore(2)
    await asyncio.gather(*(limited(sem, n) for n in range(5)))
    print("peak:", peak, "locked:", sem.locked())
    b = asyncio.BoundedSemaphore(1)
    await b.acquire()
    print("bounded locked:", b.locked())
    b.release()
    try:
        b.release()
    except ValueError as e:
        print("ValueError:", e)
    s = asyncio.Semaphore(0)
    s.release()
    s.release()
    print("plain semaphore over-release ok:", await s.acquire(), await s.acquire(), s.locked())
    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        print("ValueError:", e)


asyncio.run(main())
