# Two threads alternate strictly through a pair of Events (ping-pong).
import threading

ping = threading.Event()
pong = threading.Event()
N = 5


def pinger():
    for i in range(N):
        print("ping", i)
        pong.clear()
        ping.set()
        pong.wait()


def ponger():
    for i in range(N):
        ping.wait()
        ping.clear()
        print("  pong", i)
        pong.set()


a = threading.Thread(target=pinger, name="pinger")
b = threading.Thread(target=ponger, name="ponger")
b.start()
a.start()
a.join()
b.join()
print("done")
