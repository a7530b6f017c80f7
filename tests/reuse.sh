#!/usr/bin/env bash
# telar explore's runs one after another in one process (src/engine/
# reuse.c): whatever a scenario leaves behind, the search finds what it
# finds when every run is forked from the zygote (TELAR_NO_REUSE=1), the
# same JSON byte for byte and the same exit status; plain scenarios do go
# on in the process of the run before (--stats counts them), and the
# scenarios that leave something behind (a renamed main thread, a module
# attribute, sys.path, a handler, a timer, a descriptor, an atexit
# function, a __del__, ...) do not make a wrong answer.
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
sc=$top_srcdir/tests/reuse
out=$top_srcdir/tests/outcomes
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

scenarios="plain_counter random_state locked_counter gc_cycles rename_main
module_attr builtins_patch sys_lists atexit_hook finalizer daemon_left raises
exits fd_left process_state signal_handler alarm_left helper_state gc_timing
addresses"
reusable="plain_counter random_state locked_counter gc_cycles"
tap_plan $(( $(echo $scenarios | wc -w) + $(echo $reusable | wc -w) + 3 ))

# explore NAME ARGS...: telar explore, run from the scenario's directory
# (helper_state imports a module beside it); JSON, stats, exit status.
explore() {
    local name=$1; shift
    (cd "$(dirname "$1")" &&
        env -u PYTHONUNBUFFERED -u PYTHONDONTWRITEBYTECODE \
            timeout 600 "$TELAR" explore "$(basename "$1")" "${@:2}" \
            >"$tmp/$name.json" 2>"$tmp/$name.err")
    echo $? >"$tmp/$name.rc"
}

# reused NAME: how many runs went on in the process of the run before.
reused() {
    sed -n 's/.* \([0-9][0-9]*\) runs went on in the process.*/\1/p' \
        "$tmp/$1.err"
}

for s in $scenarios; do
    TELAR_NO_REUSE=1 explore "$s.fork" "$sc/$s.py" --json --max-executions 60
    explore "$s.reuse" "$sc/$s.py" --json --max-executions 60 --stats
    cmp -s "$tmp/$s.fork.json" "$tmp/$s.reuse.json" &&
        cmp -s "$tmp/$s.fork.rc" "$tmp/$s.reuse.rc" &&
        [ -s "$tmp/$s.reuse.json" ]
    tap_check "$s: the same outcomes with and without reuse" $? \
        "forked: $(head -c 600 "$tmp/$s.fork.json")" \
        "reused: $(head -c 600 "$tmp/$s.reuse.json")" \
        "$(head -c 600 "$tmp/$s.reuse.err")"
done

for s in $reusable; do
    n=$(reused "$s.reuse")
    [ -n "$n" ] && [ "$n" -gt 0 ]
    tap_check "$s: runs go on in the process of the run before ($n)" $? \
        "$(cat "$tmp/$s.reuse.err")"
done

# The unlocked 2 x 2 counter, the whole space, two jobs: the answer of
# forked runs, and all but the first run of each job reused.
TELAR_NO_REUSE=1 explore counter.fork "$out/counter_unlocked_2x2.py" --json \
    --jobs 2
explore counter.reuse "$out/counter_unlocked_2x2.py" --json --jobs 2 --stats
cmp -s "$tmp/counter.fork.json" "$tmp/counter.reuse.json" &&
    [ -s "$tmp/counter.reuse.json" ]
tap_check "unlocked counter, 2 jobs: the same JSON with and without reuse" $? \
    "$(cat "$tmp/counter.fork.json")" "$(cat "$tmp/counter.reuse.json")"
n=$(reused counter.reuse)
[ -n "$n" ] && [ "$n" -ge 550 ]
tap_check "unlocked counter: 550 of its 554 runs or more reused ($n)" $? \
    "$(cat "$tmp/counter.reuse.err")"

# A loop that telar counts from its range (precharged): runs that go on
# run fresh copies of the module's code, as a forked run compiles it.
TELAR_NO_REUSE=1 explore loop.fork "$out/counter_unlocked.py" --json \
    --max-executions 60
explore loop.reuse "$out/counter_unlocked.py" --json --max-executions 60 \
    --stats
cmp -s "$tmp/loop.fork.json" "$tmp/loop.reuse.json" &&
    [ -s "$tmp/loop.reuse.json" ] && [ "$(reused loop.reuse)" -gt 0 ]
tap_check "precharged loop: the same schedules with and without reuse" $? \
    "$(cat "$tmp/loop.fork.json")" "$(cat "$tmp/loop.reuse.json")" \
    "$(cat "$tmp/loop.reuse.err")"

tap_end
