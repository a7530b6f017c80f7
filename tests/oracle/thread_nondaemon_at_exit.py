# Interpreter exit waits for non-daemon threads before running atexit handlers.
import atexit
import threading

main_done = threading.Event()
atexit.register(print, "atexit handler")


def worker():
    main_done.wait()
    print("worker finishes after main's last line")


t = threading.Thread(target=worker)
t.start()
print("main body ends")
main_done.set()
