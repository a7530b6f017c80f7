# An exception escaping the main coroutine: traceback through asyncio frames, exit 1.
import asyncio


async def validate(value):
    await asyncio.sleep(0.01)
    if value < 0:
        raise ValueError(f"negative value: {value}")
    return value


async def main():
    print("validating")
    total = 0
    for v in (3, 5, -2):
        total += await validate(v)
        print("total", total)


asyncio.run(main())
print("never printed")
