# lint lost-task, versión corregida: se guarda la tarea, se espera y se
# trata su excepción.
import asyncio


async def cobrar(importe):
    await asyncio.sleep(0.01)
    raise ValueError(f"importe no válido: {importe}")


async def main():
    tarea = asyncio.create_task(cobrar(-5))
    await asyncio.sleep(0.05)
    try:
        await tarea
    except ValueError as e:
        print("error tratado:", e)
    print("fin")


asyncio.run(main())
