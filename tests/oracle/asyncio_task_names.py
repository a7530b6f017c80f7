# Task names: Task-N numbering (gather/wait_for add tasks), set_name, current_task, all_tasks.
import asyncio


async def child(tag):
    me = asyncio.current_task()
    await asyncio.sleep(0)
    return tag, me.get_name()


async def main():
    me = asyncio.current_task()
    print("main task:", me.get_name(), "all_tasks:", len(asyncio.all_tasks()))
    t = asyncio.create_task(child("plain"))
    named = asyncio.create_task(child("named"), name="custom-name")
    print("all_tasks with children:", len(asyncio.all_tasks()))
    print(await t, await named)
    print(await asyncio.gather(child("g1"), child("g2")))
    print(await asyncio.wait_for(child("wf"), 1))
    t2 = asyncio.create_task(child("renamed"))
    t2.set_name("after-set")
    print(await t2)
    t3 = asyncio.create_task(child("number"), name=42)
    print(await t3)
    print("all_tasks at end:", len(asyncio.all_tasks()), asyncio.current_task() is me)


asyncio.run(main())
print("second run:", asyncio.run(child("second run main")))
print("third run:", asyncio.run(child("third")))
try:
    asyncio.current_task()
except RuntimeError as e:
    print("outside a loop:", e)
