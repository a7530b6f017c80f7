# A child killed while holding an mp.Lock leaves it held; a Semaphore it took stays taken.
import multiprocessing as mp
import time


def grab(lock, sem, ev):
    lock.acquire()
    sem.acquire()
    ev.set()
    time.sleep(60)


if __name__ == "__main__":
    lock, sem, ev = mp.Lock(), mp.Semaphore(1), mp.Event()
    p = mp.Process(target=grab, args=(lock, sem, ev))
    p.start()
    ev.wait()
    p.kill()
    p.join()
    print("holder exitcode:", p.exitcode)
    print("lock acquire(timeout=0.2):", lock.acquire(timeout=0.2))
    print("semaphore value:", sem.get_value(), "acquire(False):", sem.acquire(False))
    lock.release()
    print("released by another process; acquire:", lock.acquire(False))
    sem.release()
    print("semaphore value after release:", sem.get_value())
