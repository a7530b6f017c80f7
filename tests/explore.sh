#!/usr/bin/env bash
# telar explore (issue 6): the outcomes a scenario can reach, each with a
# schedule that `telar run --headless --schedule` replays to exactly that
# outcome; --expect; --json; the answer independent of --jobs; bounds and
# bad input.  The JSON is read by the matching CPython (json module).
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
out=$top_srcdir/tests/outcomes
sc=$top_srcdir/tests/explore
lesson=$top_srcdir/lessons/06_Multithreading
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
py=${ORACLE_PYTHON:-}
[ -n "$py" ] && [ -x "$py" ] || py=$(command -v python3.11 || true)
if [ -z "$py" ]; then
    echo "1..0 # SKIP no python3.11 to read the JSON"
    exit 77
fi
tap_plan 25

# explore ARGS...: run telar explore, JSON into $tmp/j, status into $tmp/rc.
explore() {
    env -u PYTHONUNBUFFERED -u PYTHONDONTWRITEBYTECODE \
        timeout 600 "$TELAR" explore "$@" >"$tmp/j" 2>"$tmp/e"
    echo $? >"$tmp/rc"
}

# field EXPR: a Python expression over the parsed JSON object j.
field() {
    "$py" -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
        "$tmp/j" "$1"
}

# stdouts: the sorted set of outcome stdouts, newlines as "|".
stdouts() {
    field '" ".join(sorted(o["stdout"].replace("\n", "|") for o in j["outcomes"]))'
}

# replay_all FILE ARGS...: every outcome of $tmp/j, replayed with telar run
# --headless --schedule, gives its stdout, its exit status and (exit 3 with
# the report) its deadlock.  Prints the first mismatch; status 0 if none.
replay_all() {
    local file=$1; shift
    local n i sched want_out want_exit want_dl rc
    n=$(field 'len(j["outcomes"])')
    [ "$n" -ge 1 ] || { echo "no outcomes"; return 1; }
    for i in $(seq 0 $((n - 1))); do
        sched=$(field "j['outcomes'][$i]['schedule']")
        want_exit=$(field "j['outcomes'][$i]['exit']")
        want_dl=$(field "j['outcomes'][$i]['deadlock']")
        "$py" -c 'import json, sys; sys.stdout.write(json.load(open(sys.argv[1]))["outcomes"][int(sys.argv[2])]["stdout"])' \
            "$tmp/j" "$i" >"$tmp/want"
        env -u PYTHONUNBUFFERED -u PYTHONDONTWRITEBYTECODE \
            timeout 120 "$TELAR" run "$file" --headless --schedule "$sched" \
            "$@" >"$tmp/got" 2>"$tmp/goterr"
        rc=$?
        if ! cmp -s "$tmp/want" "$tmp/got" || [ "$rc" != "$want_exit" ]; then
            echo "outcome $i ($sched): exit $rc, want $want_exit"
            diff "$tmp/want" "$tmp/got" | head -5
            return 1
        fi
        if [ "$want_dl" = True ] && ! grep -q 'deadlock' "$tmp/goterr"; then
            echo "outcome $i ($sched): no deadlock report"
            return 1
        fi
    done
    return 0
}

# 1-2. The unlocked 2 x 2 counter: exactly {2, 3, 4} within 2 preemptions,
#    the space exhausted; every schedule reproduces its outcome.
explore "$lesson/contador_2x2.py" --preemptions 2 --json --jobs 2
got=$(stdouts)
[ "$(cat "$tmp/rc")" = 0 ] && [ "$got" = "2| 3| 4|" ] &&
    [ "$(field 'j["exhausted"]')" = True ] &&
    [ "$(field 'sum(o["count"] for o in j["outcomes"]) == j["executions"]')" = True ]
tap_check "unlocked 2x2 counter: outcomes {2, 3, 4}, exhausted ($got)" $? \
    "exit $(cat "$tmp/rc")" "$(head -c 600 "$tmp/j")" "$(cat "$tmp/e")"
msg=$(replay_all "$lesson/contador_2x2.py")
tap_check "every schedule of the unlocked counter replays to its outcome" $? "$msg"

# 3. With a lock: only 4, exhausted (within 1 preemption: 65 runs).
explore "$out/counter_locked_2x2.py" --preemptions 1 --json
got=$(stdouts)
[ "$got" = "4|" ] && [ "$(field 'j["exhausted"]')" = True ] &&
    [ "$(field 'j["executions"] > 20')" = True ]
tap_check "locked counter: only {4}, exhausted" $? "$got" "$(cat "$tmp/e")"

# 4-5. The two-lock deadlock: found, with a schedule that telar run replays
#    to the same deadlock (exit 3, the cycle reported).
explore "$out/deadlock_two_locks.py" --preemptions 1 --json
[ "$(field 'all(o["deadlock"] and o["exit"] == 3 for o in j["outcomes"])')" = True ] &&
    [ "$(field 'len(j["outcomes"])')" = 2 ]
tap_check "two-lock deadlock found, in both orders of the first prints" $? \
    "$(cat "$tmp/j" "$tmp/e")"
msg=$(replay_all "$out/deadlock_two_locks.py") &&
    grep -q 'cycle: ' "$tmp/goterr"
tap_check "each deadlock schedule replays to exit 3 with the cycle" $? "$msg"

# 6. --jobs does not change the answer, with the cap cutting the search:
#    the same JSON, byte for byte, and exhausted false.
explore "$out/counter_unlocked_2x2.py" --json --jobs 1 --max-executions 60
cp "$tmp/j" "$tmp/j1"
explore "$out/counter_unlocked_2x2.py" --json --jobs 2 --max-executions 60
cmp -s "$tmp/j1" "$tmp/j" && [ "$(field 'j["exhausted"]')" = False ] &&
    [ "$(field 'j["executions"]')" = 60 ]
tap_check "--jobs 1 and 2 give the same answer; the cap: not exhausted" $? \
    "$(cat "$tmp/j1")" "$(cat "$tmp/j")"

# 7. The JSON is one object with exactly the documented keys.
"$py" -c '
import json, sys
text = open(sys.argv[1]).read()
j = json.loads(text)
assert text.count("\n") == 1 and text.endswith("}\n")
assert list(j) == ["executions", "exhausted", "outcomes"], list(j)
for o in j["outcomes"]:
    assert list(o) == ["stdout", "exit", "deadlock", "count", "schedule"], list(o)
    assert o["schedule"].startswith("T1:fifo:0:")
' "$tmp/j"
tap_check "--json prints one object with the documented fields" $?

# 8. --expect fails with a counter-example: its schedule loses an update.
explore "$out/counter_unlocked_2x2.py" --preemptions 1 --expect 4
sched=$(sed -n "s/.*--schedule '\{0,1\}\(T1:[^' ]*\).*/\1/p" "$tmp/j" | tail -1)
rc=$(cat "$tmp/rc")
v=$(env -u PYTHONUNBUFFERED timeout 60 "$TELAR" run "$out/counter_unlocked_2x2.py" \
    --headless --schedule "$sched")
[ "$rc" = 1 ] && grep -q 'unexpected outcome' "$tmp/j" && [ -n "$sched" ] &&
    [ "$v" != 4 ]
tap_check "--expect 4 on the unlocked counter: exit 1, a counter-example ($v)" $? \
    "exit $rc, replay gave '$v'" "$(cat "$tmp/j")"

# 9. ... and passes where it should.
explore "$out/counter_unlocked_2x2.py" --preemptions 1 --expect 2 --expect 4
rc1=$(cat "$tmp/rc")
explore "$out/counter_locked_2x2.py" --preemptions 1 --expect 4
rc2=$(cat "$tmp/rc")
[ "$rc1" = 0 ] && [ "$rc2" = 0 ] && grep -q 'every outcome is expected' "$tmp/j"
tap_check "--expect passes when every outcome is expected" $? \
    "unlocked: $rc1, locked: $rc2" "$(cat "$tmp/j")"

# 10. Deadlocks: 'no deadlock' fails, 'deadlock' passes.
explore "$out/deadlock_two_locks.py" --preemptions 0 --expect 'no deadlock'
rc1=$(cat "$tmp/rc")
grep -q 'deadlock' "$tmp/j"
found=$?
explore "$out/deadlock_two_locks.py" --preemptions 0 --expect deadlock --json
rc2=$(cat "$tmp/rc")
[ "$rc1" = 1 ] && [ "$found" = 0 ] && [ "$rc2" = 0 ]
tap_check "--expect 'no deadlock' fails on the two locks, 'deadlock' passes" $? \
    "no deadlock: $rc1, deadlock: $rc2" "$(cat "$tmp/j" "$tmp/e")"

# 11. OUTCOME forms: exit N and exit N: TEXT, \n inside TEXT.
explore "$sc/exit_status.py" --preemptions 1 \
    --expect 'exit 0: cuenta 4' --expect 'exit 2'
rc1=$(cat "$tmp/rc")
explore "$sc/teardown_del.py" --preemptions 1 \
    --expect '2\nrecibo destruido' --expect '1\nrecibo destruido'
rc2=$(cat "$tmp/rc")
explore "$sc/exit_status.py" --preemptions 1 --expect 'cuenta 4'
rc3=$(cat "$tmp/rc")
[ "$rc1" = 0 ] && [ "$rc2" = 0 ] && [ "$rc3" = 1 ]
tap_check "--expect 'exit N', 'exit N: TEXT', TEXT with \\n" $? \
    "$rc1 $rc2 $rc3" "$(cat "$tmp/j" "$tmp/e")"

# 12. The exit status is part of the outcome, and replays.
explore "$sc/exit_status.py" --preemptions 1 --json
[ "$(field 'sorted((o["stdout"], o["exit"]) for o in j["outcomes"])')" = \
  "[('cuenta 2\\n', 2), ('cuenta 4\\n', 0)]" ] && msg=$(replay_all "$sc/exit_status.py")
tap_check "sys.exit statuses are outcomes, and replay" $? "$(cat "$tmp/j")" "${msg:-}"

# 13. An uncaught exception in some schedules: exit 1, replayed.
explore "$sc/raises.py" --json
[ "$(field 'sorted(o["exit"] for o in j["outcomes"])')" = "[0, 1]" ] &&
    msg=$(replay_all "$sc/raises.py")
tap_check "an exception in some schedules only: exit 1 outcome, replayed" $? \
    "$(cat "$tmp/j")" "${msg:-}"

# 14-15. What runs during CPython's teardown (a __del__, a generator's
#    finally) is part of the outcome, as it is of python3's output.
explore "$sc/teardown_del.py" --preemptions 1 --json
[ "$(stdouts)" = "1|recibo destruido| 2|recibo destruido|" ] &&
    msg=$(replay_all "$sc/teardown_del.py")
tap_check "a __del__ at teardown is in every outcome" $? "$(cat "$tmp/j")" "${msg:-}"
explore "$sc/suspended_generator.py" --preemptions 1 --json
[ "$(stdouts)" = "1|lector cerrado| 2|lector cerrado|" ] &&
    msg=$(replay_all "$sc/suspended_generator.py")
tap_check "a suspended generator's finally at teardown too" $? "$(cat "$tmp/j")" "${msg:-}"

# 16. Processes: both orders of two children's prints, each replayed.
explore "$sc/procesos.py" --preemptions 1 --json
[ "$(stdouts)" = "hola desde dos|hola desde uno|fin| hola desde uno|hola desde dos|fin|" ] &&
    msg=$(replay_all "$sc/procesos.py")
tap_check "multiprocessing: both orders found and replayed" $? "$(cat "$tmp/j")" \
    "$(cat "$tmp/e")" "${msg:-}"

# 17. Random and PCT: seeded, within {2, 3, 4}, each outcome replayed.
explore "$out/counter_unlocked_2x2.py" --random 40 --seed 3 --json
got=$(stdouts)
[ "$(field 'j["executions"]')" = 40 ] && [ "$(field 'j["exhausted"]')" = False ] &&
    echo "$got" | grep -q -E '^(2\| )?(3\| )?4\|$' && echo "$got" | grep -q -E '2|3' &&
    msg=$(replay_all "$out/counter_unlocked_2x2.py")
tap_check "--random 40: lost updates found, each replayed ($got)" $? \
    "$(cat "$tmp/j")" "${msg:-}"
explore "$out/counter_unlocked_2x2.py" --pct 3 --random 40 --seed 3 --json
got=$(stdouts)
[ "$(field 'j["executions"]')" = 40 ] &&
    echo "$got" | grep -q -E '^(2\| )?(3\| )?4\|$' &&
    msg=$(replay_all "$out/counter_unlocked_2x2.py")
tap_check "--pct 3 --random 40: within {2, 3, 4}, each replayed ($got)" $? \
    "$(cat "$tmp/j")" "${msg:-}"

# 18. A runaway scenario: the step bound ends each run (exit 4, "bound"),
#    the cap ends the search; nothing hangs.
explore "$sc/runaway.py" --max-steps 3000 --max-executions 4
[ "$(cat "$tmp/rc")" = 0 ] && grep -q '4 bound' "$tmp/j" &&
    grep -q 'NOT exhausted' "$tmp/j" && grep -q 'max-executions 4' "$tmp/j"
ok=$?
cp "$tmp/j" "$tmp/j1"
#    A run cut by the step bound leaves the space not exhausted, even
#    when the search itself ran every run it knew.
explore "$sc/runaway.py" --max-steps 3000 --preemptions 0 --json
[ "$ok" = 0 ] && [ "$(field 'j["exhausted"]')" = False ] &&
    [ "$(field 'j["outcomes"][0]["exit"]')" = 4 ]
tap_check "runaway scenario: step bound per run, cap on runs" $? \
    "$(cat "$tmp/j1" "$tmp/j" "$tmp/e")"

# 19. The table: counts, shares, the replay command.
explore "$out/counter_unlocked_2x2.py" --preemptions 1
grep -q 'executions, 2 distinct outcomes; the space was exhausted' "$tmp/j" &&
    grep -q -E '^ +1 +[0-9]+ +[0-9.]+% +0 +4$' "$tmp/j" &&
    grep -q "telar run .*counter_unlocked_2x2.py --headless --schedule" "$tmp/j"
tap_check "the table shows counts, shares and replay commands" $? "$(cat "$tmp/j")"

# 20-21. Bad input, as telar run: a missing file (exit 2), a syntax error
#    (CPython's message, once, exit 1).
explore "$tmp/none.py"
[ "$(cat "$tmp/rc")" = 2 ] && grep -q 'cannot open' "$tmp/e"
tap_check "missing file: exit 2, one line" $? "$(cat "$tmp/e")"
explore "$top_srcdir/tests/bad/syntax_error.py" --jobs 2
run_telar "$tmp" run --headless "$top_srcdir/tests/bad/syntax_error.py"
mv "$tmp/err" "$tmp/runerr"
[ "$(cat "$tmp/rc")" = 1 ] && cmp -s "$tmp/e" "$tmp/runerr" &&
    [ "$(grep -c 'SyntaxError' "$tmp/e")" = 1 ]
tap_check "syntax error: CPython's message once, exit 1" $? "$(cat "$tmp/e")"

# 22. Usage errors: exit 2 with one line.
ok=0
for args in "--random 0" "--pct 0" "--preemptions 1 --random 5" \
        "--expect 'exit x'" "--jobs 0" "--bogus"; do
    eval explore "$out/counter_unlocked_2x2.py" $args
    [ "$(cat "$tmp/rc")" = 2 ] || ok=1
done
explore
[ "$(cat "$tmp/rc")" = 2 ] || ok=1
tap_check "usage errors exit 2" $ok "$(cat "$tmp/e")"

# 23. --help documents the strategies and OUTCOME.
"$TELAR" explore --help >"$tmp/h"
grep -q -- '--preemptions K' "$tmp/h" && grep -q -- '--expect OUTCOME' "$tmp/h" &&
    grep -q "'no deadlock'" "$tmp/h"
tap_check "--help documents the options and OUTCOME" $?

# 24. The runs of a search read no terminal: a scenario that reads stdin
#    sees its end.
printf 'import threading\ntry:\n    input()\nexcept EOFError:\n    print("eof")\n' \
    >"$tmp/stdin.py"
echo "hello" | explore "$tmp/stdin.py" --json
[ "$(stdouts)" = "eof|" ]
tap_check "runs read no standard input" $? "$(cat "$tmp/j" "$tmp/e")"

tap_end
