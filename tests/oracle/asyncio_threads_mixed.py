# Loop and threads together: a thread waits on a threading.Event set from a coroutine.
import asyncio
import threading

evt = threading.Event()
out = []


def thread_body():
    evt.wait()
    out.append("thread saw event")


async def main():
    t = threading.Thread(target=thread_body, name="watcher")
    t.start()
    await asyncio.sleep(0.01)
    print("watcher still waiting:", t.is_alive())
    evt.set()
    await asyncio.to_thread(t.join)
    print(out, t.is_alive())
    lock = threading.Lock()
    with lock:
        print("blocking acquire from a thread times out:",
              await asyncio.to_thread(lock.acquire, True, 0.02))


asyncio.run(main())
