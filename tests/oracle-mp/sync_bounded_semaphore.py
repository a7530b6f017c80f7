# mp.BoundedSemaphore: releasing above the initial value raises ValueError, in the parent and in a child.
import multiprocessing as mp


def child(bs, out):
    bs.acquire()
    out.put(("child acquired, value", bs.get_value()))
    bs.release()
    try:
        bs.release()
    except ValueError as e:
        out.put(("child extra release", str(e)))


if __name__ == "__main__":
    bs = mp.BoundedSemaphore(2)
    print("value:", bs.get_value())
    print(bs.acquire(), bs.acquire(), bs.acquire(False), bs.get_value())
    bs.release()
    bs.release()
    try:
        bs.release()
    except ValueError as e:
        print("extra release:", e)
    out = mp.Queue()
    p = mp.Process(target=child, args=(bs, out))
    p.start()
    print(out.get())
    print(out.get())
    p.join()
    print("final value:", bs.get_value(), "exitcode:", p.exitcode)
