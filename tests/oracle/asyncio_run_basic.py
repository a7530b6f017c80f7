# asyncio.run returns the coroutine's value; await chains; running loop inside and outside.
import asyncio


async def add(a, b):
    await asyncio.sleep(0)
    return a + b


async def main():
    loop = asyncio.get_running_loop()
    print("loop running:", loop.is_running())
    x = await add(1, 2)
    y = await add(x, 10)
    print("sleep result:", await asyncio.sleep(0.01, result="slept"))
    return x, y


print("result:", asyncio.run(main()))
try:
    asyncio.get_running_loop()
except RuntimeError as e:
    print("RuntimeError:", e)
coro = main()
print("iscoroutine:", asyncio.iscoroutine(coro), asyncio.iscoroutinefunction(main))
coro.close()
try:
    asyncio.run(add)
except ValueError as e:
    print("ValueError:", str(e).split(",")[0])
