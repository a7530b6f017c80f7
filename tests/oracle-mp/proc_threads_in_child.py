# A child process running its own threads: the forking thread is its main thread, results via a Queue.
import multiprocessing as mp
import threading


def child(q):
    lock = threading.Lock()
    total = []

    def work(i):
        with lock:
            total.append(i * i)

    ts = [threading.Thread(target=work, args=(i,), name="T%d" % i) for i in range(5)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    q.put((threading.current_thread().name, threading.main_thread() is threading.current_thread(),
           threading.active_count(), sorted(total)))


def from_thread(q):
    p = mp.Process(target=child, args=(q,))
    p.start()
    p.join()
    q.put(("started from", threading.current_thread().name, p.exitcode))


if __name__ == "__main__":
    q = mp.Queue()
    t = threading.Thread(target=from_thread, args=(q,), name="Launcher")
    t.start()
    print(q.get())
    print(q.get())
    t.join()
    print("parent threads:", threading.active_count() >= 1, threading.current_thread().name)
