# lint never-awaited, ejemplo malo: llamar a una corrutina sin await solo
# crea el objeto corrutina; su cuerpo nunca se ejecuta.
import asyncio


async def guardar(dato):
    await asyncio.sleep(0.01)
    print("guardado", dato)


async def main():
    guardar("informe")  # falta el await: no se guarda nada
    await asyncio.sleep(0.05)
    print("fin")


asyncio.run(main())
