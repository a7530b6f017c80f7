# lint lock-await, ejemplo malo: el candado de asyncio se mantiene durante
# una espera lenta, así que las demás tareas hacen cola detrás.
import asyncio

candado = asyncio.Lock()
saldo = 0


async def ingresar(n):
    global saldo
    async with candado:
        nuevo = saldo + n
        await asyncio.sleep(0.1)  # E/S lenta con el candado cogido
        saldo = nuevo


async def main():
    await asyncio.gather(*(ingresar(i) for i in range(3)))
    print("saldo", saldo)


asyncio.run(main())
