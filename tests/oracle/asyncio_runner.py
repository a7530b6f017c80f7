# asyncio.Runner (3.11): several run() calls on one loop, contextvars kept per run.
import asyncio
import contextvars

var = contextvars.ContextVar("var", default="unset")


async def step(n):
    await asyncio.sleep(0)
    old = var.get()
    var.set(f"step{n}")
    return n, old


with asyncio.Runner() as runner:
    print(runner.run(step(1)))
    print(runner.run(step(2)))
    loop = runner.get_loop()
    print("same loop:", loop is runner.get_loop(), "closed:", loop.is_closed())
print("closed after with:", loop.is_closed())
ctx = contextvars.copy_context()
with asyncio.Runner() as r:
    r.run(step(3), context=ctx)
    print("context kept:", ctx[var])
    print(r.run(step(4), context=ctx))
print("outside value:", var.get())
