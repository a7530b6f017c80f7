# stdout and stderr written alternately, with flush=True and explicit writes.
import sys

for i in range(3):
    print("out", i, flush=True)
    print("err", i, file=sys.stderr)
    sys.stderr.write(f"raw err {i}\n")
    sys.stdout.write(f"raw out {i}\n")
sys.stdout.flush()
print("a", "b", "c", sep="-", end="|\n")
print("no newline", end="")
print()
print(*range(5), sep=", ")
sys.stderr.flush()
print("last", file=sys.stdout, flush=True)
