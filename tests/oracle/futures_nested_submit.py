# Tasks submit more tasks to the same pool; results gathered by waiting in order.
from concurrent.futures import ThreadPoolExecutor

ex = ThreadPoolExecutor(max_workers=4)


def leaf(n):
    return n * 3


def parent(n):
    children = [ex.submit(leaf, n * 10 + i) for i in range(3)]
    return n, [c.result() for c in children]


parents = [ex.submit(parent, n) for n in range(2)]
for p in parents:
    print(p.result())
ex.shutdown()
print("executor shut down")
with ThreadPoolExecutor(2) as e2:
    chain = e2.submit(lambda: e2.submit(sum, [1, 2, 3]))
    print("future of future:", chain.result().result())
