# lint never-awaited, versión corregida: se espera a la corrutina.
import asyncio


async def guardar(dato):
    await asyncio.sleep(0.01)
    print("guardado", dato)


async def main():
    await guardar("informe")
    await asyncio.sleep(0.05)
    print("fin")


asyncio.run(main())
