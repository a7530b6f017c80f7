"""Drive `telar run --control` as the TUI does, for tests/live.sh.

usage: driver.py TELAR SCENARIO LOG OUTDIR GATE... [-- RUN-OPTION...]

Starts the engine in a session of its own with the two control pipes,
answers each "P <step>" with the next gate ("G <gate>"), copies the log
as it stands at every pause to OUTDIR/pause-<step>.log, and prints the
engine's answers, one a line.  A gate "Q" sends Q instead; "EOF" closes
the command pipe.  After the gates, it lets the run go to its end.
"""
import os
import shutil
import subprocess
import sys
import time

args = sys.argv[1:]
extra = []
if "--" in args:
    i = args.index("--")
    args, extra = args[:i], args[i + 1:]
telar, scenario, log, outdir = args[:4]
gates = args[4:]
cin_r, cin_w = os.pipe()
cout_r, cout_w = os.pipe()
proc = subprocess.Popen(
    [telar, "run", scenario, "--headless", "--log", log,
     "--control", f"{cin_r},{cout_w}"] + extra,
    pass_fds=(cin_r, cout_w), stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL, start_new_session=True)
os.close(cin_r)
os.close(cout_w)
answers = os.fdopen(cout_r)
pending = list(gates)
while True:
    line = answers.readline()
    if not line:
        print("EOF")
        break
    line = line.strip()
    print(line)
    if line.startswith("E "):
        continue
    if line.startswith("P "):
        shutil.copy(log, os.path.join(outdir, f"pause-{line[2:]}.log"))
        gate = pending.pop(0) if pending else "999999999999"
        if gate == "EOF":
            os.close(cin_w)
            continue
        cmd = "Q" if gate == "Q" else f"G {gate}"
        os.write(cin_w, (cmd + "\n").encode())
print("status", proc.wait())
# Whatever the run forked must be gone with it (killed processes are reaped
# by init; give it a moment).
for _ in range(100):
    try:
        os.killpg(proc.pid, 0)
    except ProcessLookupError:
        print("group gone")
        break
    time.sleep(0.05)
else:
    print("group alive")
