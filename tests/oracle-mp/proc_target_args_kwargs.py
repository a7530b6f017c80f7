# Process with target, args, kwargs and name: the child's lines come before the parent's post-join lines.
import multiprocessing as mp


def greet(greeting, name, punct="!"):
    print(f"{greeting}, {name}{punct}", "in", mp.current_process().name)


def nothing():
    pass


if __name__ == "__main__":
    print("parent:", mp.current_process().name)
    p = mp.Process(target=greet, args=("Hello", "world"), kwargs={"punct": "?"})
    print("before start:", p.name, p.exitcode, p.is_alive(), p.daemon)
    p.start()
    p.join()
    print("after join:", p.exitcode, p.is_alive())
    q = mp.Process(target=greet, args=("Hi", "there"), name="custom-name")
    q.start()
    q.join()
    print("named:", q.name, q.exitcode)
    r = mp.Process(target=nothing)
    r.start()
    r.join()
    print("no output child:", r.name, r.exitcode)
    s = mp.Process()
    s.start()
    s.join()
    print("no target:", s.name, s.exitcode)
