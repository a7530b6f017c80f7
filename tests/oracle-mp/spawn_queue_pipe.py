# spawn: a Queue and both kinds of Pipe cross to fresh interpreters (their
# descriptors are passed to the child, their locks unpickled).
import multiprocessing as mp


def productor(q, n):
    for i in range(n):
        q.put((mp.current_process().name, i * i))
    q.put(None)


def eco(conn):
    while True:
        msg = conn.recv()
        if msg is None:
            break
        conn.send(msg.upper())
    conn.close()


def emisor(w):
    for palabra in ["uno", "dos", "tres"]:
        w.send(palabra)
    w.close()


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=productor, args=(q, 4), name="productor")
    p.start()
    print(list(iter(q.get, None)))
    p.join()

    a, b = ctx.Pipe()
    p = ctx.Process(target=eco, args=(b,))
    p.start()
    for palabra in ["hola", "pipe", "duplex"]:
        a.send(palabra)
        print(a.recv())
    a.send(None)
    p.join()

    r, w = ctx.Pipe(duplex=False)
    p = ctx.Process(target=emisor, args=(w,))
    p.start()
    w.close()
    recibido = []
    while True:
        try:
            recibido.append(r.recv())
        except EOFError:
            break
    print(recibido, "EOF")
    p.join()
