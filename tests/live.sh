#!/usr/bin/env bash
# Live mode, engine side: `telar run --control IN,OUT` pauses at the gates
# a viewer sets and says where it stands; the log at a pause holds every
# record before the gate and nothing after; pausing never changes the run;
# Q or a closed pipe ends every process of the run; switches say which
# recorded decision they carry out, so a viewer can rebuild the schedule
# string of any prefix (and diverge from it: "you are the scheduler"); and
# the bytecode the code pane shows is exactly what CPython's dis prints.
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
dir=$top_srcdir/tests/live
lessons=$top_srcdir/lessons
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
tap_plan 15

if [ -z "${ORACLE_PYTHON:-}" ] || [ ! -x "${ORACLE_PYTHON:-}" ]; then
    echo "# no python3.11 to drive the engine: skipped"
    exit 77
fi
py() { env -u PYTHONUNBUFFERED -u PYTHONDONTWRITEBYTECODE "$ORACLE_PYTHON" "$@"; }
drive() { timeout 120 env -u PYTHONUNBUFFERED "$ORACLE_PYTHON" "$dir/driver.py" "$TELAR" "$@"; }
# The highest step of a log's records.
last_step() { "$TELAR" log "$1" | awk 'END { print $1 }'; }

# 1-3. Gates: the engine stops at each, with the log flushed to it.
c22=$lessons/06_Multithreading/contador_2x2.py
mkdir -p "$tmp/g"
drive "$c22" "$tmp/g/run.log" "$tmp/g" 5 20 60 >"$tmp/g/answers"
printf 'P 0\nP 5\nP 20\nP 60\nE 0\nEOF\nstatus 0\ngroup gone\n' >"$tmp/g/want"
cmp -s "$tmp/g/answers" "$tmp/g/want"
tap_check "the engine pauses at every gate, then ends" $? \
    "$(cat "$tmp/g/answers")"
# (Nothing past the gate; and once the threads run, where every step logs
# a position, the very step before it.  At step 5 only MainThread runs,
# through code that need not log every step.)
ok=0
for g in 5 20 60; do
    s=$(last_step "$tmp/g/pause-$g.log")
    [ -n "$s" ] && [ "$s" -lt "$g" ] || ok=1
    [ "$g" = 5 ] || [ "$s" -ge $((g - 3)) ] || ok=1
done
tap_check "at a pause the log ends just before the gate" $ok \
    "last steps: $(for g in 5 20 60; do last_step "$tmp/g/pause-$g.log"; done)"
"$TELAR" run "$c22" --headless --log "$tmp/g/plain.log" --log-positions \
    >/dev/null 2>&1
"$TELAR" log "$tmp/g/run.log" >"$tmp/g/a.txt"
"$TELAR" log "$tmp/g/plain.log" >"$tmp/g/b.txt"
cmp -s "$tmp/g/a.txt" "$tmp/g/b.txt"
tap_check "a run paused at gates logs exactly what an unpaused one does" $? \
    "$(diff "$tmp/g/a.txt" "$tmp/g/b.txt" | head -5)"

# 4-5. Q, and a closed pipe, end the run and everything it forked.
mp=$top_srcdir/tests/oracle-mp/pool_map_starmap.py
mkdir -p "$tmp/q"
drive "$mp" "$tmp/q/run.log" "$tmp/q" 400 Q >"$tmp/q/answers"
grep -q '^P 400$' "$tmp/q/answers" && grep -q '^group gone$' "$tmp/q/answers" &&
    ! grep -q '^E ' "$tmp/q/answers"
tap_check "Q at a pause ends a multi-process run, every process" $? \
    "$(cat "$tmp/q/answers")"
mkdir -p "$tmp/e"
drive "$mp" "$tmp/e/run.log" "$tmp/e" 400 EOF >"$tmp/e/answers"
grep -q '^group gone$' "$tmp/e/answers" && ! grep -q '^E ' "$tmp/e/answers"
tap_check "a closed command pipe ends the run too" $? "$(cat "$tmp/e/answers")"

# 6-10. The decisions in the log rebuild the schedule string exactly.
n=6
check_schedule() {   # NAME FILE RUN-OPTIONS...
    local name=$1 file=$2 d=$tmp/s$n; shift 2
    mkdir -p "$d"
    run_telar "$d" run --headless --log "$d/run.log" --print-schedule "$@" \
        "$file"
    local want got
    want=$(sed -n 's/^telar: schedule: //p' "$d/err")
    got=$("$TELAR" log "$d/run.log" | py "$dir/schedule_from_log.py")
    [ -n "$want" ] && [ "$want" = "$got" ]
    tap_check "decisions in the log rebuild the schedule: $name" $? \
        "printed: $want" "rebuilt: $got"
    n=$((n + 1))
}
check_schedule "preempt" "$c22" --policy preempt --preempt-rate 0.3 --seed 3
check_schedule "rr:7" "$top_srcdir/tests/outcomes/counter_unlocked.py" \
    --policy rr:7
check_schedule "gil, deadlock" "$top_srcdir/tests/outcomes/deadlock_two_locks.py"
check_schedule "gil, processes" "$mp"
check_schedule "preempt, processes" "$mp" --policy preempt --seed 2

# 11. You are the scheduler: under gil, hilo-1 adds both its increments
#     before hilo-2 even starts.  At the moment hilo-1 is about to store its
#     first sum, hand the baton to MainThread (it starts hilo-2); when
#     MainThread blocks, hand it to hilo-2 (fifo from then on: only what
#     is chosen switches).  hilo-2's two increments are lost: it prints 2.
d=$tmp/m; mkdir -p "$d"
run_telar "$d" run --headless --log "$d/r0.log" --log-positions "$c22"
"$TELAR" log "$d/r0.log" >"$d/r0.txt"
ids=$(awk '$3 == "actor_new" && /name="hilo-/ { sub("actor=", "", $4); printf "%s ", $4 }' "$d/r0.txt")
h1=${ids%% *}; h2=$(echo $ids | cut -d' ' -f2)
at=$(awk -v a="actor=$h1" '$3 == "pos" && $4 == a && $7 == "offset=64" { print $1; exit }' "$d/r0.txt")
s1=$(py "$dir/choose.py" "$at" 0 <"$d/r0.txt")
run_telar "$d" run --headless --schedule "$s1" --log "$d/r1.log" \
    --log-positions "$c22"
"$TELAR" log "$d/r1.log" >"$d/r1.txt"
# The moment MainThread blocks in start() (nobody runs yet): the next
# step decides who runs, and fifo would give it back to hilo-1.
at2=$(awk -v t="to=$h1" -v at="$at" '$3 == "switch" && $4 == t && $1 > at + 1 { print $1 - 1; exit }' "$d/r1.txt")
s2=$(py "$dir/choose.py" "$at2" "$h2" <"$d/r1.txt")
run_telar "$d" run --headless --schedule "$s2" "$c22"
[ "$(cat "$d/out")" = 2 ] && [ "$(cat "$d/rc")" = 0 ]
tap_check "choices at two moments diverge from the run: the counter ends at 2" $? \
    "schedules: $s1 then $s2" "stdout: $(cat "$d/out")" "$(head -3 "$d/err")"

# 12. The bytecode: what dis prints, instruction for instruction.
d=$tmp/b; mkdir -p "$d"
run_telar "$d" run --headless --log "$d/run.log" --log-positions \
    "$dir/disasm_sample.py"
"$TELAR" log "$d/run.log" | py "$dir/log_bytecode.py" >"$d/mine"
py "$dir/dis_oracle.py" "$dir/disasm_sample.py" >"$d/dis"
[ -s "$d/dis" ] && cmp -s "$d/mine" "$d/dis" && grep -q EXTENDED_ARG "$d/mine"
tap_check "EV_BYTECODE lists every code object as dis does" $? \
    "$(diff "$d/mine" "$d/dis" | head -8)"

# 13-14. --watch logs a global each time its value changes, with who ran.
d=$tmp/w; mkdir -p "$d"
run_telar "$d" run --headless --policy preempt --preempt-rate 0.3 --seed 3 \
    --log "$d/run.log" --watch contador "$c22"
"$TELAR" log "$d/run.log" | awk '$3 == "watch"' >"$d/watch"
vals=$(sed 's/.*"contador=\(.*\)"$/\1/' "$d/watch" | tr '\n' ' ')
last=$(sed -n '$s/.*"contador=\(.*\)"$/\1/p' "$d/watch")
[ "$(head -1 "$d/watch" | sed 's/.*"contador=\(.*\)"$/\1/')" = 0 ] &&
    [ "$last" = "$(cat "$d/out")" ] && [ "$(wc -l <"$d/watch")" -ge 3 ]
tap_check "--watch logs every value of contador, the last one printed ($vals)" \
    $? "$(cat "$d/watch")" "stdout: $(cat "$d/out")"
run_telar "$d" run --headless --watch 'no-es-un-nombre' "$c22"
[ "$(cat "$d/rc")" = 2 ] && grep -q -- '--watch' "$d/err"
tap_check "--watch with a bad name is a usage error" $? "$(cat "$d/err")"

# 15. --log-positions only adds records: the same steps, the same
#     schedule and output as without it, so that a schedule from a
#     headless run or from telar explore replays in the TUI.
d=$tmp/p; mkdir -p "$d"
differ=""
for f in "$c22" "$top_srcdir/tests/tui-live/dos_sumas.py" \
         "$top_srcdir/tests/outcomes/loops_counted.py" \
         "$top_srcdir/tests/races/asyncio_hilos.py" \
         "$top_srcdir/tests/oracle-mp/pool_apply_async.py"; do
    for p in "--policy gil" "--policy preempt --seed 5"; do
        # shellcheck disable=SC2086
        run_telar "$d" run --headless $p --stats --print-schedule "$f"
        sed 's/; log:.*//' "$d/err" >"$d/a"; cp "$d/out" "$d/a.out"
        # shellcheck disable=SC2086
        run_telar "$d" run --headless $p --stats --print-schedule \
            --log-positions --log "$d/p.log" "$f"
        sed 's/; log:.*//' "$d/err" >"$d/b"
        cmp -s "$d/a" "$d/b" && cmp -s "$d/a.out" "$d/out" ||
            differ="$differ [$(basename "$f") $p]"
    done
done
[ -z "$differ" ]
tap_check "--log-positions changes neither steps nor schedule nor output" $? \
    "differ:$differ"
tap_end
