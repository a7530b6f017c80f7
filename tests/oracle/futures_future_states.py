# A bare Future driven by hand: states, set_running_or_notify_cancel, InvalidStateError.
from concurrent.futures import CancelledError, Future, InvalidStateError


def state(f):
    return (f.running(), f.cancelled(), f.done())


f = Future()
print("new:", state(f))
print("set running:", f.set_running_or_notify_cancel())
print("running:", state(f), "cancel:", f.cancel())
f.set_result("value")
print("finished:", state(f), f.result())
try:
    f.set_result("again")
except InvalidStateError as e:
    print("InvalidStateError:", type(e).__name__, isinstance(e, Exception))

g = Future()
print("cancel pending:", g.cancel(), state(g))
print("set running after cancel:", g.set_running_or_notify_cancel())
try:
    g.result(timeout=0)
except CancelledError:
    print("CancelledError from result")
try:
    g.exception()
except CancelledError:
    print("CancelledError from exception")

h = Future()
h.set_exception(KeyError("k"))
print("exception set:", state(h), repr(h.exception()))
try:
    h.set_exception(ValueError("twice"))
except InvalidStateError:
    print("set_exception twice: InvalidStateError")
try:
    h.result()
except KeyError as e:
    print("result raises KeyError", e)
