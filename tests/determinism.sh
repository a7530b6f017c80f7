#!/usr/bin/env bash
# One seed, one run, down to the event log: every program of both
# differential corpora, run twice under the preempt policy with the same
# seed, writes the same log record for record (the run header aside).  A
# difference means something reached the scheduler or the log outside the
# baton (a race), or read a clock or an address that is not the run's.
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
files=$(ls "$top_srcdir"/tests/oracle/*.py "$top_srcdir"/tests/oracle-mp/*.py)
tap_plan "$(echo "$files" | wc -l)"
for f in $files; do
    for i in 1 2; do
        timeout 120 "$TELAR" run --headless --policy preempt --seed 2 \
            --log "$tmp/$i.log" "$f" >/dev/null 2>&1
        "$TELAR" log "$tmp/$i.log" 2>/dev/null | grep -v '^0 0 run ' \
            >"$tmp/$i.txt"
    done
    [ -s "$tmp/1.txt" ] && cmp -s "$tmp/1.txt" "$tmp/2.txt"
    tap_check "same log twice: $(basename "$(dirname "$f")")/$(basename "$f")" $? \
        "$(diff "$tmp/1.txt" "$tmp/2.txt" | head -6)"
done
tap_end
