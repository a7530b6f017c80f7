# mp.Semaphore: get_value, Semaphore(0) as a signal from children, timed acquire on zero, counted slots.
import multiprocessing as mp


def signaller(sem, i, out):
    out.put(i)
    sem.release()


def slot_user(sem, inside, peak, lock):
    with sem:
        with lock:
            inside.value += 1
            peak.value = max(peak.value, inside.value)
        with lock:
            inside.value -= 1


if __name__ == "__main__":
    sem = mp.Semaphore(0)
    print("value:", sem.get_value())
    print("acquire(False):", sem.acquire(False), "acquire(timeout=0.2):", sem.acquire(timeout=0.2))
    out = mp.Queue()
    ps = [mp.Process(target=signaller, args=(sem, i, out)) for i in range(3)]
    for p in ps:
        p.start()
    for _ in ps:
        sem.acquire()
    print("got three releases; values", sorted(out.get() for _ in ps))
    for p in ps:
        p.join()
    print("value now:", sem.get_value())
    s2 = mp.Semaphore(2)
    inside, peak, lock = mp.Value("i", 0, lock=False), mp.Value("i", 0, lock=False), mp.Lock()
    ps = [mp.Process(target=slot_user, args=(s2, inside, peak, lock)) for _ in range(5)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("peak within limit:", 1 <= peak.value <= 2, "inside:", inside.value, "value:", s2.get_value())
    s2.release()
    print("plain Semaphore can exceed its start value:", s2.get_value())
