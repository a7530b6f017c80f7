# spawn: a spawned child starts its own spawned child; names nest
# ("SpawnProcess-1:1") and each level imports the module again.
import multiprocessing as mp

print("import as", __name__, flush=True)


def nieto(q):
    q.put(("nieto", mp.current_process().name, mp.parent_process().name))


def hijo(q):
    ctx = mp.get_context("spawn")
    p = ctx.Process(target=nieto, args=(q,))
    p.start()
    p.join()
    q.put(("hijo", mp.current_process().name, p.exitcode))


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=hijo, args=(q,))
    p.start()
    print(q.get())
    print(q.get())
    p.join()
    print("exitcode", p.exitcode)
