# Explore scenario: two processes print; which prints first depends on the
# schedule.
import multiprocessing as mp


def saludar(nombre):
    print("hola desde", nombre, flush=True)


if __name__ == "__main__":
    ps = [mp.Process(target=saludar, args=(n,)) for n in ("uno", "dos")]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("fin")
