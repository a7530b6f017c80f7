# The forkserver start method keeps a server process outside any scheduler:
# telar refuses it with one clear message.
import multiprocessing as mp


def f():
    print("not run")


if __name__ == "__main__":
    ctx = mp.get_context("forkserver")
    p = ctx.Process(target=f)
    p.start()
    p.join()
