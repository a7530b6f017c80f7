# PriorityQueue: smallest first; tuples and an order=True dataclass with a non-compared field.
import dataclasses
import queue
from typing import Any


@dataclasses.dataclass(order=True)
class Job:
    priority: int
    payload: Any = dataclasses.field(compare=False)


q = queue.PriorityQueue()
for item in [(5, "e"), (1, "a"), (3, "c"), (2, "b"), (1, "a2")]:
    q.put(item)
print([q.get() for _ in range(q.qsize())])
jq = queue.PriorityQueue()
jq.put(Job(2, {"k": "two"}))
jq.put(Job(0, {"k": "zero"}))
jq.put(Job(1, ["one"]))
while not jq.empty():
    print(jq.get())
try:
    bad = queue.PriorityQueue()
    bad.put({"a": 1})
    bad.put({"b": 2})
except TypeError as e:
    print("TypeError:", e)
