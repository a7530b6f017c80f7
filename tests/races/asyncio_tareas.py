# race: none
# asyncio tasks of one loop update a shared counter with an await between
# the read and the write: one thread runs them all, so no data race.
import asyncio

contador = 0


async def incrementa():
    global contador
    for _ in range(3):
        valor = contador
        await asyncio.sleep(0)
        contador = valor + 1


async def main():
    await asyncio.gather(*(incrementa() for _ in range(3)))
    print(contador)


asyncio.run(main())
