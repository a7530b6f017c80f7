# spawn without the `if __name__ == "__main__":` guard: the child imports
# this module again and tries to start a process while it is still
# bootstrapping; multiprocessing refuses with its RuntimeError.
import multiprocessing as mp


def hijo():
    print("never printed")


print("module runs as", __name__)
ctx = mp.get_context("spawn")
p = ctx.Process(target=hijo)
p.start()
p.join()
print("exitcode", p.exitcode)
