# Duplex Pipe: request/response between parent and child with many picklable objects.
import multiprocessing as mp


def server(conn):
    while True:
        msg = conn.recv()
        if msg == "quit":
            conn.send("bye")
            break
        conn.send((type(msg).__name__, msg, repr(msg)[:20]))
    conn.close()


if __name__ == "__main__":
    parent_end, child_end = mp.Pipe()
    print("duplex readable/writable:", parent_end.readable, parent_end.writable,
          child_end.readable, child_end.writable)
    p = mp.Process(target=server, args=(child_end,))
    p.start()
    for obj in [0, 2 ** 70, 1.5, "str", b"\x00\xff", None, [1, "a"], (True, False),
                {"nested": {"x": [1, 2, 3]}}, {3, 1, 2}, Exception("boxed", 7), ValueError("v")]:
        parent_end.send(obj)
        kind, back, r = parent_end.recv()
        print(kind, r, back == obj if not isinstance(obj, Exception) else back.args)
    parent_end.send("quit")
    print(parent_end.recv())
    p.join()
    print("exitcode:", p.exitcode)
