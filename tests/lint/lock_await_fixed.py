# lint lock-await, versión corregida: la espera lenta va fuera del
# candado; dentro solo queda la actualización, sin await.
import asyncio

candado = asyncio.Lock()
saldo = 0


async def ingresar(n):
    global saldo
    await asyncio.sleep(0.1)  # E/S lenta, sin candado
    async with candado:
        saldo = saldo + n


async def main():
    await asyncio.gather(*(ingresar(i) for i in range(3)))
    print("saldo", saldo)


asyncio.run(main())
