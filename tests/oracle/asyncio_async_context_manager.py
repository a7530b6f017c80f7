# Async context managers: __aenter__/__aexit__ classes, asynccontextmanager, exception flow.
import asyncio
import contextlib


class Resource:
    def __init__(self, name):
        self.name = name

    async def __aenter__(self):
        await asyncio.sleep(0)
        print("open", self.name)
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await asyncio.sleep(0)
        print("close", self.name, exc_type.__name__ if exc_type else None)
        return exc_type is KeyError


@contextlib.asynccontextmanager
async def session(tag):
    print("begin", tag)
    try:
        yield tag.upper()
    finally:
        print("end", tag)


async def main():
    async with Resource("r1") as r, session("s1") as s:
        print("using", r.name, s)
    async with Resource("r2"):
        raise KeyError("swallowed")
    print("after swallowed KeyError")
    try:
        async with session("s2"):
            raise ValueError("passes through")
    except ValueError as e:
        print("caught", e)
    async with contextlib.AsyncExitStack() as stack:
        for n in range(2):
            await stack.enter_async_context(Resource(f"stack{n}"))


asyncio.run(main())
