# Pipe payloads larger than 64 KiB in both directions: send/recv, send_bytes/recv_bytes, recv_bytes_into.
import hashlib
import multiprocessing as mp


def digest(b):
    return hashlib.sha256(b).hexdigest()[:16]


def child(conn):
    blob = conn.recv_bytes()
    conn.send(("child got", len(blob), digest(blob)))
    data = conn.recv()
    conn.send(("child got list", len(data), sum(data)))
    big = bytes(range(256)) * 1024
    conn.send_bytes(big)
    conn.send({"text": "x" * 100000, "nums": list(range(50000))})
    conn.send_bytes(b"abcdefghij" * 10000, 5, 70000)


if __name__ == "__main__":
    a, b = mp.Pipe()
    p = mp.Process(target=child, args=(b,))
    p.start()
    blob = bytes((i * 7) % 256 for i in range(300000))
    a.send_bytes(blob)
    print(a.recv(), digest(blob))
    a.send(list(range(100000)))
    print(a.recv())
    big = a.recv_bytes()
    print("recv_bytes", len(big), digest(big))
    d = a.recv()
    print("dict", len(d["text"]), len(d["nums"]), d["nums"][-1])
    buf = bytearray(80000)
    n = a.recv_bytes_into(buf)
    print("recv_bytes_into", n, bytes(buf[:10]), digest(bytes(buf[:n])))
    p.join()
    print("exitcode:", p.exitcode)
