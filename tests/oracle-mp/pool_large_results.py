# Pool tasks with arguments and results far over 64 KiB travel through the task and result pipes.
import hashlib
import multiprocessing as mp


def blob(n):
    return bytes((i * n) % 256 for i in range(200000 + n))


def digest(b):
    return len(b), hashlib.sha256(b).hexdigest()[:12]


if __name__ == "__main__":
    with mp.Pool(processes=2) as pool:
        for n, b in zip(range(4), pool.map(blob, range(4))):
            print("result", n, digest(b))
        args = [bytes([k]) * (100000 * (k + 1)) for k in range(3)]
        print("args:", pool.map(digest, args))
        print("imap:", [len(x) for x in pool.imap(blob, [7, 8, 9])])
