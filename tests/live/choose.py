"""The schedule string of a choice at a moment, as the TUI makes it.

usage: choose.py STEP ACTOR [POLICY] < listing

From a `telar log` listing of a run: every recorded decision taken at or
before STEP (the moment on screen), then ACTOR at the next step, under
POLICY (default fifo: nothing switches but what is chosen).
"""
import subprocess
import sys

sys.path.insert(0, sys.argv[0].rsplit("/", 1)[0])
from schedule_from_log import b36  # noqa: E402

here = sys.argv[0].rsplit("/", 1)[0]
step, actor = int(sys.argv[1]), int(sys.argv[2])
policy = sys.argv[3] if len(sys.argv) > 3 else "fifo"
listing = sys.stdin.read()
prefix = subprocess.run([sys.executable, f"{here}/schedule_from_log.py",
                         str(step)], input=listing, capture_output=True,
                        text=True, check=True).stdout.strip()
head, entries = prefix.rsplit(":", 1)
_, _, seed = head.split(":")
last = 0
for e in filter(None, entries.split(",")):
    last += int(e.split("-")[0], 36)


new = f"{b36(step + 1 - last)}-{b36(actor)}"
print(f"T1:{policy}:{seed}:" + (entries + "," if entries else "") + new)
