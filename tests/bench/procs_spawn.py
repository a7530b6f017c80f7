# Process start cost with spawn: 10 processes started and joined one after
# the other, each a fresh interpreter that imports this module again.
import multiprocessing as mp


def nada():
    pass


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    for _ in range(10):
        p = ctx.Process(target=nada)
        p.start()
        p.join()
