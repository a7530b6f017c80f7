#!/usr/bin/env bash
# The analyses that read a finished event log (issue 6).  telar lint: each
# check fires on its bad example in tests/lint, with its file:line and the
# line's text, and is quiet on the fixed one; thresholds move the line.
# telar diff: two seeds of a racy counter part ways at a step where
# different actors run; two identical configurations are alike (exit 0);
# usage errors exit 2.
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
lint=$top_srcdir/tests/lint
py=${ORACLE_PYTHON:-$(command -v python3 || true)}
# example:check, one pair of scenarios per line.
pairs="blocking:blocking-step
never_awaited:never-awaited
lost_task:lost-task
lock_await:lock-await
lock_sleep:lock-await
queue_growth:queue-growth
unjoined:unjoined-thread
pool:pool-saturated"
tap_plan 27

# lint_of NAME [LINT-OPTION...]: run tests/lint/NAME.py with a log, lint
# it into $tmp/lint; the lint's exit status into $tmp/lrc.
lint_of() {
    local name=$1; shift
    run_telar "$tmp" run --headless --log "$tmp/$name.log" "$lint/$name.py"
    "$TELAR" lint "$@" "$tmp/$name.log" >"$tmp/lint" 2>&1
    echo $? >"$tmp/lrc"
}

for pair in $pairs; do
    base=${pair%%:*} check=${pair#*:}
    lint_of "${base}_bad"
    [ "$(cat "$tmp/lrc")" = 1 ] &&
        [ "$(grep -c '^warning\[' "$tmp/lint")" = 1 ] &&
        grep -q "^warning\[$check\]: .*\.$" "$tmp/lint" &&
        grep -q "^  --> .*${base}_bad\.py:[0-9]" "$tmp/lint" &&
        grep -q '^ *[0-9][0-9]* | [^ ]' "$tmp/lint" &&
        grep -q '^1 warning$' "$tmp/lint"
    tap_check "lint $check fires on ${base}_bad.py, with its line" $? \
        "$(cat "$tmp/lint" "$tmp/err")"
    lint_of "${base}_fixed"
    [ "$(cat "$tmp/lrc")" = 0 ] && [ "$(cat "$tmp/lint")" = "no warnings" ]
    tap_check "lint is quiet on ${base}_fixed.py" $? \
        "$(cat "$tmp/lint" "$tmp/err")"
done

# The thresholds are the ones the sentences state, and options move them.
lint_of blocking_bad
grep -q '300 ms .*(threshold 100 ms)' "$tmp/lint"
tap_check "lint states the blocking time and its threshold" $? "$(cat "$tmp/lint")"
lint_of blocking_bad --blocking-ms 400
[ "$(cat "$tmp/lrc")" = 0 ]
tap_check "lint --blocking-ms 400: a 300 ms step is under it" $? "$(cat "$tmp/lint")"
lint_of queue_growth_bad --queue-growth 1000
[ "$(cat "$tmp/lrc")" = 0 ]
tap_check "lint --queue-growth 1000: 135 items is under it" $? "$(cat "$tmp/lint")"
lint_of pool_bad --pool-ms 1000
[ "$(cat "$tmp/lrc")" = 0 ]
tap_check "lint --pool-ms 1000: 300 ms saturated is under it" $? "$(cat "$tmp/lint")"

# Usage errors and logs that are not logs.
"$TELAR" lint >/dev/null 2>"$tmp/e"; a=$?
"$TELAR" lint --blocking-ms ten "$tmp/blocking_bad.log" >/dev/null 2>>"$tmp/e"; b=$?
printf 'garbage' >"$tmp/garbage.log"
"$TELAR" lint "$tmp/garbage.log" >/dev/null 2>>"$tmp/e"; c=$?
[ "$a$b$c" = 222 ] && [ "$(grep -c '^telar lint: ' "$tmp/e")" = 3 ]
tap_check "lint: no LOG, a bad number, a file that is not a log: exit 2" $? \
    "statuses $a $b $c" "$(cat "$tmp/e")"

# telar diff: two seeds of the racy counter part ways.
counter=$top_srcdir/tests/outcomes/counter_unlocked.py
run_telar "$tmp" diff "$counter" --policy preempt --seed 1 --seed 2
step=$(sed -n 's/^The runs part ways at step \([0-9][0-9]*\) .*/\1/p' "$tmp/out")
who_a=$(sed -n 's/^  A: \(.*\) \(keeps\|takes\) the baton.*/\1/p' "$tmp/out")
who_b=$(sed -n 's/^  B: \(.*\) \(keeps\|takes\) the baton.*/\1/p' "$tmp/out")
[ "$(cat "$tmp/rc")" = 1 ] && [ -n "$step" ] && [ "$step" -gt 0 ] &&
    [ -n "$who_a" ] && [ -n "$who_b" ] && [ "$who_a" != "$who_b" ]
tap_check "diff: seeds 1 and 2 part ways at a step, different actors run" $? \
    "status $(cat "$tmp/rc"), step '$step', A '$who_a', B '$who_b'" \
    "$(cat "$tmp/out" "$tmp/err")"
grep -q '^       .*counter_unlocked\.py:[0-9][0-9]* (.*): [^ ]' "$tmp/out" &&
    grep -q '^  stdout differs from line 1:' "$tmp/out" &&
    grep -q '^  exit status 0 in both' "$tmp/out"
tap_check "diff: each actor's line with its text, and the outcomes" $? \
    "$(cat "$tmp/out")"

run_telar "$tmp" diff "$counter" --policy preempt --seed 1 --seed 2 --json
if [ -n "$py" ]; then
    "$py" - "$tmp/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["identical"] is False and d["divergence"]["step"] > 0, d
a, b = (r["at"] for r in d["runs"])
assert a["actor"] != b["actor"], (a, b)
assert a["line"] > 0 and b["line"] > 0 and a["text"] and b["text"], (a, b)
assert d["runs"][0]["args"] == "--seed 1 --policy preempt", d["runs"][0]
assert d["stdout_identical"] is False
PY
    tap_check "diff --json: the same divergence, for scripts" $? "$(cat "$tmp/out")"
else
    tap_ok "diff --json # SKIP no python3 to parse it"
fi

run_telar "$tmp" diff "$counter" --policy preempt --seed 1
[ "$(cat "$tmp/rc")" = 0 ] && grep -q '^The runs are alike' "$tmp/out" &&
    ! grep -q 'part ways' "$tmp/out"
tap_check "diff: two identical configurations are alike, exit 0" $? \
    "$(cat "$tmp/out" "$tmp/err")"

# Usage errors: exit 2, one message.
st=""
for args in "" "--seed 1 --seed 2" "$counter --seed 1 --seed 2 --seed 3" \
            "$counter --no-such-option" "$counter $counter" \
            "$counter --timeout 0"; do
    # shellcheck disable=SC2086 # split on purpose
    "$TELAR" diff $args >/dev/null 2>"$tmp/e"; st="$st$?"
done
[ "$st" = 222222 ]
tap_check "diff: usage errors exit 2" $? "statuses $st"
"$TELAR" diff "$tmp/no-such-scenario.py" --seed 1 >/dev/null 2>"$tmp/e"; rc=$?
[ "$rc" = 2 ] && grep -q 'no-such-scenario' "$tmp/e"
tap_check "diff: a run that cannot start exits 2 and says why" $? "$(cat "$tmp/e")"
tap_end
