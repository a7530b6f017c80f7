# lint blocking-step, ejemplo malo: una corrutina llama a time.sleep(), que
# bloquea el hilo del bucle de eventos; el latido se queda parado 300 ms.
import asyncio
import time


async def latido():
    for i in range(4):
        print("latido", i)
        await asyncio.sleep(0.05)


async def descarga():
    await asyncio.sleep(0.01)
    time.sleep(0.3)  # bloquea el bucle entero: nadie más avanza
    print("descarga terminada")


async def main():
    await asyncio.gather(latido(), descarga())


asyncio.run(main())
