# A daemon thread still blocked when main ends does not keep the process alive.
import threading

never = threading.Event()
started = threading.Event()


def forever():
    started.set()
    never.wait()
    print("never printed")


d = threading.Thread(target=forever, daemon=True)
d.start()
started.wait()
print("daemon alive:", d.is_alive())
print("main exits now")
