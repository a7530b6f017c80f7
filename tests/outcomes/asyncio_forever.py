# Outcome scenario: main awaits a Future that nobody ever completes (hangs under python3).
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    print("esperando un futuro que nadie completa", flush=True)
    await fut
    print("nunca llega")


asyncio.run(main())
