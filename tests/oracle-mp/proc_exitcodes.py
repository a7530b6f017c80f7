# exitcode after a normal end and for the different forms of sys.exit in the child.
import multiprocessing as mp
import sys


def normal():
    print("normal child")


def exit_n(n):
    print("exiting with", repr(n))
    sys.exit(n)


def returns_value():
    return 42


if __name__ == "__main__":
    cases = [(normal, ()), (exit_n, (3,)), (exit_n, (0,)), (exit_n, (None,)),
             (exit_n, ("a message for stderr",)), (exit_n, (255,)), (returns_value, ())]
    for target, args in cases:
        p = mp.Process(target=target, args=args)
        p.start()
        p.join()
        print(p.name, target.__name__, args, "->", p.exitcode)
    print("done")
