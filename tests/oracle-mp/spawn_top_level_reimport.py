# spawn: each child imports the main module again as __mp_main__, so
# top-level code outside the __main__ guard runs once more in every child.
import multiprocessing as mp

print("top level runs as", __name__, flush=True)
CONTADOR = 0


def trabajo(n):
    print(f"child {n}: CONTADOR = {CONTADOR}", flush=True)


if __name__ == "__main__":
    CONTADOR = 100          # only the parent sees this
    ctx = mp.get_context("spawn")
    for n in range(2):
        p = ctx.Process(target=trabajo, args=(n,))
        p.start()
        p.join()
    print("parent: CONTADOR =", CONTADOR)
