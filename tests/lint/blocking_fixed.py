# lint blocking-step, versión corregida: la espera bloqueante va a un hilo
# con asyncio.to_thread() y el bucle sigue atendiendo al latido.
import asyncio
import time


async def latido():
    for i in range(4):
        print("latido", i)
        await asyncio.sleep(0.05)


async def descarga():
    await asyncio.sleep(0.01)
    await asyncio.to_thread(time.sleep, 0.3)  # el bucle queda libre
    print("descarga terminada")


async def main():
    await asyncio.gather(latido(), descarga())


asyncio.run(main())
