# One-way Pipe(duplex=False): (reader, writer); wrong-direction use raises OSError.
import multiprocessing as mp


def produce(w, n):
    for i in range(n):
        w.send(("item", i, i * 1.5))
    w.send_bytes(b"raw bytes")
    w.close()


if __name__ == "__main__":
    r, w = mp.Pipe(duplex=False)
    print("reader:", r.readable, r.writable, "writer:", w.readable, w.writable)
    try:
        r.send("x")
    except OSError as e:
        print("send on reader:", e)
    try:
        w.recv()
    except OSError as e:
        print("recv on writer:", e)
    p = mp.Process(target=produce, args=(w, 4))
    p.start()
    w.close()
    for _ in range(4):
        print(r.recv())
    print(r.recv_bytes())
    p.join()
    try:
        r.recv()
    except EOFError:
        print("EOFError after the writer is gone")
    print("exitcode:", p.exitcode)
