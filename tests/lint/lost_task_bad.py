# lint lost-task, ejemplo malo: la tarea se crea y nadie guarda ni espera
# su resultado; su excepción se pierde ("Task exception was never
# retrieved").
import asyncio


async def cobrar(importe):
    await asyncio.sleep(0.01)
    raise ValueError(f"importe no válido: {importe}")


async def main():
    asyncio.create_task(cobrar(-5))  # la tarea queda perdida
    await asyncio.sleep(0.05)
    print("fin")


asyncio.run(main())
