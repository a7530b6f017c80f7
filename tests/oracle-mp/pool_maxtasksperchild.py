# Pool(maxtasksperchild): one worker serving tasks one after another is replaced every 2 tasks.
import multiprocessing as mp


def who(x):
    return x, mp.current_process().name


if __name__ == "__main__":
    with mp.Pool(processes=1, maxtasksperchild=2) as pool:
        for x, name in pool.map(who, range(6), chunksize=1):
            print(x, name)
    with mp.Pool(processes=1) as pool:
        print("one worker for all:", len(set(n for _, n in pool.map(who, range(4)))))
    try:
        mp.Pool(1, maxtasksperchild=0)
    except ValueError as e:
        print("maxtasksperchild=0:", e)
