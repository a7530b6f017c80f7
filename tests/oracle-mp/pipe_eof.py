# EOFError once the other end is closed everywhere; a closed connection raises OSError.
import multiprocessing as mp


def child(conn):
    conn.send("one")
    conn.send("two")
    conn.close()


if __name__ == "__main__":
    a, b = mp.Pipe()
    p = mp.Process(target=child, args=(b,))
    p.start()
    b.close()
    print("recv:", a.recv())
    print("recv:", a.recv())
    try:
        a.recv()
    except EOFError as e:
        print("third recv: EOFError", repr(str(e)))
    p.join()
    print("poll after EOF:", a.poll())
    a.close()
    print("closed:", a.closed)
    for what, call in (("recv", a.recv), ("send", lambda: a.send(1)), ("poll", a.poll)):
        try:
            call()
        except OSError as e:
            print(what, "on closed:", e)
    r, w = mp.Pipe(duplex=False)
    q = mp.Process(target=w.close)
    q.start()
    q.join()
    w.close()
    try:
        r.recv_bytes()
    except EOFError:
        print("one-way pipe: EOFError")
