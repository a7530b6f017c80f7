# get_context("spawn") next to the default fork in one program: a forked
# child inherits the parent's changes to globals, a spawned one imports the
# module again and sees what the code says.
import multiprocessing as mp

ESTADO = "inicial"


def muestra(etiqueta, q):
    q.put(f"{etiqueta}: {mp.current_process().name} sees ESTADO={ESTADO}")


if __name__ == "__main__":
    ESTADO = "cambiado en el padre"
    print("default start method:", mp.get_start_method())
    for metodo in ("fork", "spawn"):
        ctx = mp.get_context(metodo)
        q = ctx.Queue()
        p = ctx.Process(target=muestra, args=(metodo, q))
        p.start()
        print(q.get())
        p.join()
    p = mp.Process(target=muestra, args=("default", mp.Queue()))
    p.start()
    p.join()
    print(p.name, p.exitcode)
