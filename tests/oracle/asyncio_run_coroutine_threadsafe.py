# run_coroutine_threadsafe: a thread submits coroutines to a running loop and waits.
import asyncio
import threading


async def add(a, b):
    await asyncio.sleep(0.01)
    return a + b


async def fail():
    raise LookupError("from loop")


def client(loop, out):
    f = asyncio.run_coroutine_threadsafe(add(2, 3), loop)
    out.append(f.result(timeout=5))
    g = asyncio.run_coroutine_threadsafe(fail(), loop)
    try:
        g.result()
    except LookupError as e:
        out.append(f"LookupError: {e}")


async def main():
    loop = asyncio.get_running_loop()
    out = []
    t = threading.Thread(target=client, args=(loop, out))
    t.start()
    while t.is_alive():
        await asyncio.sleep(0.01)
    t.join()
    print(out)


asyncio.run(main())
