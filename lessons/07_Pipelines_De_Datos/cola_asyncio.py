# La misma contrapresión con asyncio: una sola hebra, dos tareas y una
# asyncio.Queue(maxsize=3).  Con la cola llena, `await cola.put(...)`
# suspende al productor (sin bloquear el bucle de eventos) hasta que el
# consumidor saca un elemento.
import asyncio
import time

N = 20
inicio = time.monotonic()


def ahora():
    return time.monotonic() - inicio


async def productor(cola):
    maximo = 0
    for i in range(1, N + 1):
        await asyncio.sleep(0.02)       # producir un elemento: 20 ms
        # telar: con la cola llena, el productor se suspende aquí
        await cola.put(i)
        maximo = max(maximo, cola.qsize())
        if i % 5 == 0:
            print(f"t={ahora():.1f} s: producidos {i:2}, "
                  f"en cola {cola.qsize():2}")
    await cola.put(None)                # aviso de fin
    print(f"el productor termina a los {ahora():.1f} s; "
          f"máximo en cola: {maximo}")


async def consumidor(cola):
    while await cola.get() is not None:
        await asyncio.sleep(0.065)      # procesar un elemento: 65 ms
    print(f"el consumidor termina a los {ahora():.1f} s")


async def main():
    cola = asyncio.Queue(maxsize=3)     # como mucho 3 elementos esperando
    tareas = [asyncio.create_task(productor(cola), name="productor"),
              asyncio.create_task(consumidor(cola), name="consumidor")]
    await asyncio.gather(*tareas)


asyncio.run(main())
