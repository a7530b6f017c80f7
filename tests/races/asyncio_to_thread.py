# race: none
# asyncio.to_thread: the worker thread writes a global and returns; the
# task reads both after awaiting the result.
import asyncio

calculado = None


def bloqueante(n):
    global calculado
    calculado = n * 2
    return n + 1


async def main():
    global calculado
    calculado = 0
    r = await asyncio.to_thread(bloqueante, 20)
    print(r, calculado)
    r = await asyncio.to_thread(bloqueante, r)
    print(r, calculado)


asyncio.run(main())
