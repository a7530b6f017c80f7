# race: none
# A thread hands work to an event loop with call_soon_threadsafe and
# run_coroutine_threadsafe; run_in_executor gives the loop a result.
import asyncio
import threading

compartido = {"n": 0}
recibido = []


def en_hilo(loop):
    compartido["n"] = 1
    loop.call_soon_threadsafe(recibido.append, compartido["n"])
    compartido["m"] = 2
    fut = asyncio.run_coroutine_threadsafe(lee("m"), loop)
    print("hilo", fut.result())


async def lee(clave):
    return compartido[clave]


def calcula():
    compartido["e"] = 3
    return 4


async def main():
    loop = asyncio.get_running_loop()
    h = threading.Thread(target=en_hilo, args=(loop,))
    h.start()
    r = await loop.run_in_executor(None, calcula)
    print("ejecutor", r, compartido["e"])
    while len(recibido) == 0 or h.is_alive():
        await asyncio.sleep(0.01)
    h.join()
    print("recibido", recibido, compartido["n"])


asyncio.run(main())
