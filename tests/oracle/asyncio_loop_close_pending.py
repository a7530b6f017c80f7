# A loop closed with a task still pending: CPython warns at exit that the task was destroyed.
import asyncio
async def siempre():
    await asyncio.sleep(10)
loop = asyncio.new_event_loop()
t = loop.create_task(siempre())
loop.run_until_complete(asyncio.sleep(0.1))
loop.close()
print("cerrado")
