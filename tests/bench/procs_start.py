# Process start cost: 20 processes started and joined one after the other.
import multiprocessing as mp


def nada():
    pass


if __name__ == "__main__":
    for _ in range(20):
        p = mp.Process(target=nada)
        p.start()
        p.join()
