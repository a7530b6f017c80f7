# Three threads print in strict round-robin order, coordinated by a Condition and a turn.
import threading

cond = threading.Condition()
turn = 0
N_THREADS = 3
ROUNDS = 4


def worker(me):
    global turn
    for r in range(ROUNDS):
        with cond:
            cond.wait_for(lambda: turn == me)
            print(f"round {r}: thread {me}")
            turn = (turn + 1) % N_THREADS
            cond.notify_all()


ts = [threading.Thread(target=worker, args=(i,)) for i in range(N_THREADS)]
for t in reversed(ts):
    t.start()
for t in ts:
    t.join()
print("final turn", turn)
