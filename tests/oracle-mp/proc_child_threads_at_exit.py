# A child's non-daemon thread is joined before the child exits; its daemon thread is not waited for.
import multiprocessing as mp
import threading
import time


def child():
    go = threading.Event()

    def late():
        go.wait()
        print("non-daemon thread finishes after the child's target returned")

    def forever():
        while True:
            time.sleep(1)

    threading.Thread(target=late, name="late").start()
    threading.Thread(target=forever, name="forever", daemon=True).start()
    print("child target returns; threads:", sorted(t.name for t in threading.enumerate()))
    threading.Timer(0.2, go.set).start()


if __name__ == "__main__":
    p = mp.Process(target=child)
    p.start()
    p.join()
    print("child exitcode:", p.exitcode)
