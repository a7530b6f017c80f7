# atexit handlers run in reverse registration order, after the main module finishes.
import atexit


def bye(name):
    print("bye", name)


atexit.register(bye, "first")
atexit.register(bye, "second")
atexit.register(bye, name="third")
atexit.register(bye, "unregistered")
atexit.unregister(bye)
atexit.register(bye, "only this one")
print("main done")
