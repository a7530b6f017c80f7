"""Rebuild a run's schedule string from its `telar log` listing.

Every switch that carries out a recorded decision says at which step the
decision was taken ("decided=N"): those are the schedule's entries, as the
TUI rebuilds them to replay a prefix of a run.  Reads the listing on
stdin; prints "T1:<policy>:<seed>:<entries>".  With an argument STEP, only
the decisions carried out (switched) by STEP, the moment on screen.
"""
import sys


def b36(v):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    s = ""
    while True:
        s = digits[v % 36] + s
        v //= 36
        if v == 0:
            return s


def main():
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else None
    policy = seed = None
    entries = []
    for line in sys.stdin:
        parts = line.split()
        if len(parts) < 3:
            continue
        if parts[2] == "run":
            text = line.split(" ", 3)[3].strip().strip('"').replace("\\n", "\n")
            info = dict(kv.split("=", 1) for kv in text.split("\n") if "=" in kv)
            policy, seed = info["policy"], info["seed"]
        elif parts[2] == "switch":
            fields = dict(p.split("=", 1) for p in parts[3:])
            if "decided" in fields and (limit is None
                                        or int(parts[0]) <= limit):
                entries.append((int(fields["decided"]), int(fields["to"])))
    prev = 0
    out = []
    for step, actor in entries:
        out.append(f"{b36(step - prev)}-{b36(actor)}")
        prev = step
    print(f"T1:{policy}:{seed}:" + ",".join(out))


if __name__ == "__main__":
    main()
