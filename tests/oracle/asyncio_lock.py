# asyncio.Lock: mutual exclusion across awaits, FIFO acquisition, release errors.
import asyncio

lock = asyncio.Lock()
balance = 0


async def deposit(name, amount):
    global balance
    async with lock:
        current = balance
        print(f"{name} reads {current}")
        await asyncio.sleep(0.01)
        balance = current + amount
        print(f"{name} writes {balance}")


async def main():
    await asyncio.gather(deposit("a", 10), deposit("b", 20), deposit("c", 30))
    print("balance:", balance, "locked:", lock.locked())
    try:
        lock.release()
    except RuntimeError as e:
        print("RuntimeError:", e)
    print("acquire:", await lock.acquire(), lock.locked())
    lock.release()


asyncio.run(main())
