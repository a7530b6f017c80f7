# spawn: Pool(2) with map, starmap, apply_async with a callback, imap; the
# workers are SpawnPoolWorker-N.
import multiprocessing as mp


def cuadrado(x):
    return x * x


def potencia(b, e):
    return b ** e


def quien(_):
    return mp.current_process().name.split("-")[0]


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    with ctx.Pool(2) as pool:
        print(pool.map(cuadrado, range(10)))
        print(pool.starmap(potencia, [(2, 3), (3, 2), (10, 3)]))
        resultados = []
        r = pool.apply_async(cuadrado, (12,), callback=resultados.append)
        print(r.get(), resultados)
        print(list(pool.imap(cuadrado, range(5), chunksize=2)))
        print(sorted(set(pool.map(quien, range(8)))))
    print("pool closed")
