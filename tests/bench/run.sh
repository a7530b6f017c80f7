#!/usr/bin/env bash
# make bench: figures measured in one run, on this machine, as ratios
# where there is something to compare with.  Wall-clock numbers for people;
# no test asserts on them.
#   tests/bench/run.sh [TELAR] [PYTHON]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
telar=${1:-$here/../../telar}
py=${2:-${ORACLE_PYTHON:-/usr/bin/python3.11}}
reps=${BENCH_REPS:-3}
export -n PYTHONUNBUFFERED PYTHONDONTWRITEBYTECODE 2>/dev/null || true
unset PYTHONUNBUFFERED PYTHONDONTWRITEBYTECODE

# best_of CMD...: the smallest wall time of $reps runs, in seconds.
best_of() {
    local best="" t0 t1 t
    for _ in $(seq "$reps"); do
        t0=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        t1=$(date +%s.%N)
        t=$(echo "$t1 - $t0" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then
            best=$t
        fi
    done
    printf '%.4f' "$best"
}
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }

echo "telar bench ($(uname -m), $(nproc) cores; best of $reps)"
echo "python: $py ($("$py" -c 'import platform; print(platform.python_version())'))"
echo

# 1. Overhead on CPU-bound pure Python, default policy, log on.
p=$(best_of "$py" "$here/cpu.py")
t=$(best_of "$telar" run --headless "$here/cpu.py")
echo "cpu-bound overhead (tests/bench/cpu.py, gil policy, log on):"
echo "  python3 $p s, telar $t s: ratio $(ratio "$t" "$p")x (must be <= 2.0, goal 1.5)"

# 2. Start-up: an empty scenario.
empty=$(mktemp --suffix=.py); trap 'rm -f "$empty"' EXIT
p=$(best_of "$py" "$empty")
t=$(best_of "$telar" run --headless "$empty")
echo "start-up (empty scenario): python3 $p s, telar $t s: ratio $(ratio "$t" "$p")x"

# 3. Baton hand-offs per second under preempt (every instruction may switch).
stats=$("$telar" run --headless --policy preempt --preempt-rate 1 --stats \
    "$here/switches.py" 2>&1 >/dev/null | grep 'switches')
sw=$(echo "$stats" | sed -n 's/.* \([0-9]*\) switches.*/\1/p')
rec=$(echo "$stats" | sed -n 's/.*log: \([0-9]*\) records.*/\1/p')
bpr=$(echo "$stats" | sed -n 's/.*(\([0-9.]*\) bytes\/record).*/\1/p')
t=$(best_of "$telar" run --headless --policy preempt --preempt-rate 1 "$here/switches.py")
echo "hand-offs (tests/bench/switches.py, preempt rate 1): $sw switches in $t s:" \
     "$(printf '%.0f' "$(echo "$sw / $t" | bc -l)")/s (goal >= 200000);" \
     "$(printf '%.0f' "$(echo "$rec / $t" | bc -l)") events/s written, $bpr bytes/event"

# 4. Processes: start cost, hand-offs across processes, Pool.map.
p=$(best_of "$py" "$here/procs_start.py")
t=$(best_of "$telar" run --headless "$here/procs_start.py")
echo "process start+join with fork (20 in a row): python3 $(printf '%.2f' "$(echo "$p * 50" | bc -l)") ms," \
     "telar $(printf '%.2f' "$(echo "$t * 50" | bc -l)") ms per process"
p=$(best_of "$py" "$here/procs_spawn.py")
t=$(best_of "$telar" run --headless "$here/procs_spawn.py")
echo "process start+join with spawn (10 in a row): python3 $(printf '%.2f' "$(echo "$p * 100" | bc -l)") ms," \
     "telar $(printf '%.2f' "$(echo "$t * 100" | bc -l)") ms per process (a fresh interpreter each)"
stats=$("$telar" run --headless --stats "$here/procs_pingpong.py" 2>&1 >/dev/null | grep switches)
sw=$(echo "$stats" | sed -n 's/.* \([0-9]*\) switches.*/\1/p')
t=$(best_of "$telar" run --headless "$here/procs_pingpong.py")
echo "hand-offs across processes (pipe ping-pong): $sw switches in $t s:" \
     "$(printf '%.0f' "$(echo "$sw / $t" | bc -l)")/s (goal >= 100000)"
p=$(best_of "$py" "$here/pool_map.py")
t=$(best_of "$telar" run --headless "$here/pool_map.py")
echo "Pool(4).map over 1,000 items: python3 $p s, telar $t s: ratio $(ratio "$t" "$p")x"

# 5. Race detection: --races against a plain run of the same file.  In a
# file with threads every scenario instruction is watched; cpu.py never
# starts a thread, so nothing is.
t=$(best_of "$telar" run --headless "$here/races.py")
r=$(best_of "$telar" run --headless --races "$here/races.py")
rec=$("$telar" run --headless --races --stats "$here/races.py" 2>&1 >/dev/null |
    sed -n 's/.*log: \([0-9]*\) records.*/\1/p')
echo "--races (tests/bench/races.py, 4 threads): plain $t s, --races $r s:" \
     "ratio $(ratio "$r" "$t")x; $rec log records"
t=$(best_of "$telar" run --headless "$here/cpu.py")
r=$(best_of "$telar" run --headless --races "$here/cpu.py")
echo "--races (tests/bench/cpu.py, one thread): plain $t s, --races $r s:" \
     "ratio $(ratio "$r" "$t")x"

# 6. The event log alone.
if [ -x "$here/bench-evlog" ]; then
    echo "event log alone:"
    "$here/bench-evlog" 2000000 | sed 's/^/  /'
fi

# 6. The TUI: a frame at 200x60 with 50 actors, the first frame of a
#    recorded run, stepping back on a 100,000-step run (telar view --bench).
echo "the TUI (telar view --bench, 200x60, 50 actors, 100,000 steps):"
"$telar" view --bench 2>&1 | sed 's/^/  /'

# 7. CPU used while paused: the TUI on a live run in a real terminal
#    (tmux), for 5 s after the first frame, the TUI and the engine.
if command -v tmux >/dev/null 2>&1; then
    sock=telar-bench-$$
    tmux -L "$sock" -f /dev/null new-session -d -x 120 -y 32 \
        "'$telar' run '$here/../../lessons/06_Multithreading/contador_2x2.py'"
    for _ in $(seq 200); do
        tmux -L "$sock" capture-pane -p 2>/dev/null | grep -q 'step 0/' && break
        sleep 0.05
    done
    sleep 0.5               # let the run reach its first gate
    tui=$(tmux -L "$sock" list-panes -F '#{pane_pid}')
    eng=$(pgrep -P "$tui" | head -1)
    # ticks of user + system time of a process (fields 14 and 15)
    ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
    t0=$(ticks "$tui"); e0=$(ticks "${eng:-0}")
    sleep 5
    t1=$(ticks "$tui"); e1=$(ticks "${eng:-0}")
    hz=$(getconf CLK_TCK)
    echo "paused for 5 s: the TUI used $(( (t1 - t0) * 1000 / hz )) ms of CPU," \
         "the engine $(( (e1 - e0) * 1000 / hz )) ms (goal 0)"
    tmux -L "$sock" kill-server
fi
# 8. telar explore: complete executions per second of the systematic search
#    (2 preemptions: every run of the space) on the unlocked 2 x 2 counter,
#    with 1 and 2 worker processes, start-up included (and, the second
#    line, after it).  The goal is >= 2,000/s.  Then the same with every
#    run forked from the zygote (TELAR_NO_REUSE=1), and the ratio.
counter=$here/../outcomes/counter_unlocked_2x2.py
echo "explore (tests/outcomes/counter_unlocked_2x2.py, --preemptions 2, goal >= 2000 runs/s):"
for jobs in 1 2; do
    reuse=$("$telar" explore "$counter" --jobs "$jobs" --stats 2>&1 >/dev/null |
        sed -n 's/^telar explore: //p')
    fork=$(TELAR_NO_REUSE=1 "$telar" explore "$counter" --jobs "$jobs" \
        --stats 2>&1 >/dev/null | sed -n 's/^telar explore: //p')
    echo "$reuse" | sed 's/^/  /'
    echo "$fork" | sed '1s/^/  every run forked: /; 2s/^/  every run forked, /'
    awk -v a="$reuse" -v b="$fork" 'BEGIN {
        split(a, x, ": "); split(b, y, ": ");
        ra = x[2] + 0; rb = y[2] + 0;
        if (rb > 0) printf "  runs going on in one process: %.1fx the forked rate\n", ra / rb }'
done
