# Connection.poll: False with no data (0 and a timeout), True once the child has sent.
import multiprocessing as mp


def child(conn, go):
    go.wait()
    conn.send("hello")
    go2 = conn.recv()
    conn.send(("ack", go2))


if __name__ == "__main__":
    a, b = mp.Pipe()
    go = mp.Event()
    p = mp.Process(target=child, args=(b, go))
    p.start()
    print("poll():", a.poll())
    print("poll(0):", a.poll(0))
    print("poll(0.3):", a.poll(0.3))
    go.set()
    print("poll(30):", a.poll(30))
    print("poll() again:", a.poll())
    print("recv:", a.recv())
    print("poll(0.1) after recv:", a.poll(0.1))
    a.send("second")
    print("poll(None):", a.poll(None))
    print("recv:", a.recv())
    p.join()
    print("exitcode:", p.exitcode)
