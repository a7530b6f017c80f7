# send_bytes with offset/size, recv_bytes(maxlength) too short, recv_bytes_into with an offset.
import multiprocessing as mp


def child(conn):
    conn.send_bytes(b"0123456789", 2, 5)
    conn.send_bytes(memoryview(b"memoryview data"))
    conn.send_bytes(b"this message is too long")
    conn.close()


if __name__ == "__main__":
    a, b = mp.Pipe()
    for bad in [(b"abc", -1), (b"abc", 4), (b"abc", 1, 5), (b"abc", 0, -1)]:
        try:
            a.send_bytes(*bad)
        except ValueError as e:
            print("send_bytes", bad[1:], "->", e)
    p = mp.Process(target=child, args=(b,))
    p.start()
    b.close()
    print(a.recv_bytes())
    buf = bytearray(b"." * 20)
    n = a.recv_bytes_into(buf, 3)
    print(n, bytes(buf))
    try:
        a.recv_bytes(5)
    except OSError as e:
        print("recv_bytes(5):", e)
    print("closed after bad length:", a.closed)
    p.join()
    print("exitcode:", p.exitcode)
