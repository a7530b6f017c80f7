# asyncio Future and Task done callbacks: run via call_soon in order, removal, exceptions.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    log = []
    fut = loop.create_future()
    fut.add_done_callback(lambda f: log.append(("cb1", f.result())))
    fut.add_done_callback(lambda f: log.append(("cb2", f.result())))
    rm = lambda f: log.append("removed")
    fut.add_done_callback(rm)
    print("removed count:", fut.remove_done_callback(rm))
    fut.set_result("ok")
    print("right after set_result:", log)
    await asyncio.sleep(0)
    print("after one loop pass:", log)
    fut.add_done_callback(lambda f: log.append("late"))
    print("late not immediate:", log[-1])
    await asyncio.sleep(0)
    print("late ran:", log[-1])
    ef = loop.create_future()
    ef.set_exception(ValueError("bad"))
    print("exception():", repr(ef.exception()))
    try:
        ef.set_result(1)
    except asyncio.InvalidStateError as e:
        print("InvalidStateError:", e)

    async def job():
        await asyncio.sleep(0.01)
        return 7

    task = asyncio.create_task(job())
    task.add_done_callback(lambda t: log.append(("task", t.result())))
    print(await task)
    await asyncio.sleep(0)
    print(log[-1])
    cf = loop.create_future()
    cf.cancel()
    print("cancelled future:", cf.cancelled(), cf.done())


asyncio.run(main())
