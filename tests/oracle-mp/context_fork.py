# get_context("fork"): ForkProcess names, the context's own Queue, Lock and Pool, start method queries.
import multiprocessing as mp


def child(q, lock):
    with lock:
        q.put((mp.current_process().name, type(mp.current_process()).__name__))


def square(x):
    return x * x


if __name__ == "__main__":
    ctx = mp.get_context("fork")
    print("start method:", ctx.get_start_method(), mp.get_start_method())
    print("all:", sorted(mp.get_all_start_methods()))
    q, lock = ctx.Queue(), ctx.Lock()
    ps = [ctx.Process(target=child, args=(q, lock)) for _ in range(2)]
    print("classes:", [type(p).__name__ for p in ps])
    for p in ps:
        p.start()
        p.join()
    print(sorted(q.get() for _ in ps))
    with ctx.Pool(2) as pool:
        print(pool.map(square, range(5)))
    plain = mp.Process()
    print("plain after:", plain.name, type(plain).__name__)
    try:
        mp.get_context("nonsense")
    except ValueError as e:
        print("bad context:", e)
    try:
        mp.set_start_method("fork")
    except RuntimeError as e:
        print("set_start_method again:", e)
