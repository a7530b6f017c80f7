#!/usr/bin/env bash
# What a run reports besides the scenario's output: --timeline, --trace
# (Chrome trace JSON that Perfetto opens), --stats, --log with telar log,
# --print-schedule; and sys.argv passed through after "--" as python3 does.
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/o"
tap_plan 13
py=${ORACLE_PYTHON:-$(command -v python3 || true)}

run_telar "$tmp" run --headless --timeline "$top_srcdir/data/samples/hilos.py"
grep -q '^MainThread *|' "$tmp/err" && grep -q '^  hilo-0 *|' "$tmp/err" &&
    grep -q '^legend:' "$tmp/err" && grep -q 'contador = 6' "$tmp/out"
tap_check "--timeline: a row per thread, nested, and a legend" $? "$(cat "$tmp/err")"

run_telar "$tmp" run --headless --trace "$tmp/t.json" \
    "$top_srcdir/tests/outcomes/counter_locked_2x2.py"
"${py:-false}" - "$tmp/t.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["traceEvents"]
phases = {e["ph"] for e in ev}
names = {e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
assert {"M", "X"} <= phases, phases
assert {"MainThread", "Thread-1 (work)", "Thread-2 (work)"} <= names, names
assert all(isinstance(e["pid"], int) and isinstance(e["tid"], int) for e in ev)
assert all(e["dur"] >= 0 for e in ev if e["ph"] == "X")
PY
tap_check "--trace: valid trace-event JSON with named threads and slices" $?

run_telar "$tmp" run --headless --trace "$tmp/a.json" \
    "$top_srcdir/tests/oracle/asyncio_gather.py"
"${py:-false}" - "$tmp/a.json" <<'PY'
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
b = [e for e in ev if e["ph"] == "b"]
e_ = [e for e in ev if e["ph"] == "e"]
assert b and len(b) == len(e_), (len(b), len(e_))
assert any(x["name"].startswith("Task-") for x in b)
PY
tap_check "--trace: asyncio tasks as async b/e tracks" $?

# A multi-process run: a Perfetto process per virtual process (M
# process_name), its threads under it (thread_name), X slices that never
# overlap on one track, async b/e pairs matched, ts in microseconds of
# virtual time (the last slice ends where --stats says the run did).
run_telar "$tmp" run --headless --stats --trace "$tmp/p.json" \
    "$top_srcdir/tests/outcomes/trace_processes.py"
vt=$(sed -n 's/.* \([0-9.]*\) s of virtual time.*/\1/p' "$tmp/err")
"${py:-false}" - "$tmp/p.json" "${vt:-0}" <<'PY'
import json, sys
from collections import defaultdict
ev = json.load(open(sys.argv[1]))["traceEvents"]
ns = lambda us: round(us * 1000)        # microseconds, exact to the ns
pname = {}
for e in ev:
    if e["ph"] == "M" and e["name"] == "process_name":
        assert e["pid"] not in pname, ("process named twice", e)
        pname[e["pid"]] = e["args"]["name"]
assert sorted(pname.values()) == ["MainProcess", "hilos", "tareas"], pname
tproc, threads = {}, defaultdict(set)
for e in ev:
    if e["ph"] == "M" and e["name"] == "thread_name":
        assert e["pid"] in pname and e["tid"] not in tproc, e
        tproc[e["tid"]] = e["pid"]
        threads[pname[e["pid"]]].add(e["args"]["name"])
assert threads["hilos"] >= {"MainThread", "Thread-1 (trabajo)",
                            "Thread-2 (trabajo)", "QueueFeederThread"}, threads
assert "MainThread" in threads["MainProcess"] and "MainThread" in threads["tareas"]
tracks = defaultdict(list)
for e in ev:
    if e["ph"] in "Xbei" and e["tid"] != 0:
        assert tproc.get(e["tid"]) == e["pid"], ("off its process", e)
    if e["ph"] == "X":
        assert e["ts"] >= 0 and e["dur"] >= 0, e
        tracks[e["pid"], e["tid"]].append((ns(e["ts"]), ns(e["dur"])))
assert len(tracks) >= 7, sorted(tracks)
for key, spans in tracks.items():
    spans.sort()
    for (t0, d0), (t1, _) in zip(spans, spans[1:]):
        assert t1 >= t0 + d0, ("X slices overlap", key, t0, d0, t1)
opened, nb = defaultdict(list), 0
for e in ev:
    if e["ph"] == "b":
        nb += 1
        opened[e["cat"], e["id"]].append(e["name"])
    elif e["ph"] == "e":
        st = opened[e["cat"], e["id"]]
        assert st and st[-1] == e["name"], ("e without its b", e)
        st.pop()
assert nb >= 4 and not any(opened.values()), (nb, dict(opened))
end = max(ns(e["ts"]) + ns(e.get("dur", 0)) for e in ev if e["ph"] != "M")
vt = round(float(sys.argv[2]) * 1e9)
assert vt > 0 and abs(end - vt) <= 1000, ("ts is not virtual us", end, vt)
PY
tap_check "--trace of processes: a track per process, threads under it" $? \
    "$(cat "$tmp/err")"

# A scenario that ends with sys.exit(n) still gets its reports (CPython
# then calls exit() itself instead of returning from Py_RunMain).
run_telar "$tmp" run --headless --stats --log "$tmp/x.log" \
    "$top_srcdir/tests/oracle/general_sys_exit_3.py"
[ "$(cat "$tmp/rc")" = 3 ] && grep -q 'steps, .* switches' "$tmp/err" &&
    "$TELAR" log "$tmp/x.log" | grep -q ' end status=3'
tap_check "sys.exit(3): exit 3, and --stats and --log still written" $? \
    "exit $(cat "$tmp/rc")" "$(cat "$tmp/err")"

run_telar "$tmp" run --headless --stats --log "$tmp/run.log" \
    "$top_srcdir/tests/outcomes/counter_unlocked_2x2.py"
grep -q 'steps, .* switches' "$tmp/err" && [ -s "$tmp/run.log" ]
tap_check "--stats and --log" $? "$(cat "$tmp/err")"

"$TELAR" log "$tmp/run.log" >"$tmp/log.txt" 2>&1
grep -q '^0 0 run ' "$tmp/log.txt" && grep -q 'actor_new actor=1 kind=thread' "$tmp/log.txt" &&
    grep -q ' end status=0' "$tmp/log.txt"
tap_check "telar log prints every record" $? "$(head -5 "$tmp/log.txt")"

printf 'garbage' >"$tmp/bad.log"
"$TELAR" log "$tmp/bad.log" >/dev/null 2>"$tmp/e"; rc=$?
[ "$rc" = 1 ] && grep -q 'telar: ' "$tmp/e"
tap_check "telar log on a file that is not a log: exit 1, one line" $? "$(cat "$tmp/e")"

if oracle_ok; then
    run_oracle "$tmp/o" "$top_srcdir/tests/bad/argv_file.py" uno "dos tres" --x
    run_telar "$tmp" run --headless "$top_srcdir/tests/bad/argv_file.py" -- uno "dos tres" --x
    cmp -s "$tmp/o/out" "$tmp/out" && cmp -s "$tmp/o/rc" "$tmp/rc"
    tap_check "sys.argv, __name__ and __file__ as python3" $? \
        "$(diff "$tmp/o/out" "$tmp/out")"
else
    tap_ok "sys.argv as python3 # SKIP no matching oracle interpreter"
fi
# --lint: the lints at the end of a run, quiet on a clean one.
run_telar "$tmp" run --headless --lint "$top_srcdir/tests/lint/blocking_bad.py"
grep -q 'warning\[blocking-step\]' "$tmp/err" && grep -q '^1 warning' "$tmp/err"
ok1=$?
run_telar "$tmp" run --headless --lint "$top_srcdir/tests/lint/blocking_fixed.py"
grep -q 'no warnings' "$tmp/err" && [ "$ok1" = 0 ]
tap_check "run --lint warns on a blocked loop, not on the fixed one" $? \
    "$(cat "$tmp/err")"

# sys.exit() ends a run through CPython's own exit(): the log still ends
# with the status and the reports are still written.
printf 'import sys\nprint("adios")\nsys.exit(3)\n' >"$tmp/exit3.py"
run_telar "$tmp" run --headless --stats --log "$tmp/exit3.log" "$tmp/exit3.py"
[ "$(cat "$tmp/rc")" = 3 ] && [ "$(cat "$tmp/out")" = adios ] &&
    grep -q 'steps, .* switches' "$tmp/err" &&
    "$TELAR" log "$tmp/exit3.log" | tail -n 1 | grep -q ' end status=3 '
tap_check "sys.exit(3): exit 3, and the log and --stats are written" $? \
    "status $(cat "$tmp/rc")" "$(cat "$tmp/out" "$tmp/err")" \
    "$("$TELAR" log "$tmp/exit3.log" | tail -n 2)"

# The log says which threads are daemons and what each one runs: its
# target, or its class's own run().
cat >"$tmp/hilos.py" <<'EOF'
import functools
import threading


class Trabajador(threading.Thread):
    def run(self):
        pass


def tarea(n):
    pass


a = threading.Thread(target=functools.partial(tarea, 1), daemon=True)
b = Trabajador()
for t in (a, b):
    t.start()
    t.join()
EOF
run_telar "$tmp" run --headless --log "$tmp/hilos.log" "$tmp/hilos.py"
"$TELAR" log "$tmp/hilos.log" >"$tmp/hilos.txt"
grep -q ' thread actor=1 daemon=1 line=10 target=".*hilos.py\\u0000tarea"$' "$tmp/hilos.txt" &&
    grep -q ' thread actor=2 daemon=0 line=6 target=".*hilos.py\\u0000Trabajador.run"$' "$tmp/hilos.txt"
tap_check "--log: each thread's daemon flag and target" $? \
    "$(grep ' thread ' "$tmp/hilos.txt")"

# The Spanish catalogue, when the system has a Spanish locale.
if locale -a 2>/dev/null | grep -qi '^es_ES\.utf-\?8$' &&
   [ -f "$(es_gmo)" ]; then
    mkdir -p "$tmp/locale/es/LC_MESSAGES"
    cp "$(es_gmo)" "$tmp/locale/es/LC_MESSAGES/telar.mo"
    TELAR_LOCALEDIR=$tmp/locale LC_ALL=es_ES.UTF-8 run_telar "$tmp" run --headless \
        "$top_srcdir/tests/outcomes/deadlock_two_locks.py"
    grep -q 'interbloqueo' "$tmp/err" &&
        grep -q 'banco-A espera a cuenta_b, que tiene banco-B' "$tmp/err"
    tap_check "the locale chooses Spanish, deadlock report included" $? "$(cat "$tmp/err")"
else
    tap_ok "Spanish messages # SKIP no es_ES.UTF-8 locale or no es.gmo"
fi
tap_end
