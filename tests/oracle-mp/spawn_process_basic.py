# spawn: a fresh interpreter per child; target, args, kwargs, name, pid,
# exitcode, is_alive, and what the child sees of itself.
import multiprocessing as mp
import os


def saluda(quien, veces=1, *, signo="!"):
    yo = mp.current_process()
    print(f"{yo.name}: hola {quien}{signo * veces}", flush=True)
    print(f"{yo.name}: parent is {mp.parent_process().name}", flush=True)
    print(f"{yo.name}: start method {mp.get_start_method()}", flush=True)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    p = mp.Process(target=saluda, args=("mundo",), kwargs={"veces": 3})
    print("before start:", p.is_alive(), p.exitcode, p.pid is None)
    p.start()
    p.join()
    print("after join:", p.is_alive(), p.exitcode, p.pid != os.getpid())
    q = mp.Process(target=saluda, args=("otra vez",), name="segundo",
                   kwargs={"signo": "?"})
    q.start()
    q.join()
    print(q.name, q.exitcode)
    print(mp.current_process().name, mp.parent_process())
