#!/bin/bash
# Check that oracle programs are deterministic under the reference CPython.
# Usage: tests/oracle/check-determinism.sh [-n RUNS] [-p PYTHON] [FILE.py...]
# Default: every tests/oracle/*.py, 5 runs, /usr/bin/python3.11 (or $ORACLE_PYTHON).
# Each program runs with stdout to a pipe and PYTHON* variables cleared, as
# tests/oracle.sh does (LC_ALL=C.UTF-8, stdin /dev/null); stdout, stderr and exit status must match on every run.
# Also warns about output that looks run-dependent (0x addresses) and slow runs.
# Five quiet runs miss load-dependent races: also try it with CPU hogs running.
# Lessons from writing the corpus (all seen to vary under load):
# - threads: force order with join/Event/Condition/Barrier; a timed wait
#   (join(t), acquire(timeout=t), get(timeout=t)) is only safe on a thread
#   that is truly blocked, never as "long enough for the other to finish".
# - asyncio: asyncio.sleep(d) in concurrently started tasks orders them by
#   start time + d, so a stall reorders them; use loop.call_at on one shared
#   base. Never observe state "after sleeping long enough": wait on an Event
#   or the task itself. Two failures meant for one TaskGroup pass: sleep(0).
runs=5
py=${ORACLE_PYTHON:-/usr/bin/python3.11}
while getopts n:p: opt; do
    case $opt in
    n) runs=$OPTARG ;;
    p) py=$OPTARG ;;
    *) echo "usage: $0 [-n RUNS] [-p PYTHON] [FILE.py...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
    set -- "$here"/*.py
fi
unset_args=()
for v in $(env | sed -n 's/^\(PYTHON[A-Za-z0-9_]*\)=.*/\1/p'); do
    unset_args+=(-u "$v")
done
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
bad=0
for f in "$@"; do
    dir=$(cd "$(dirname "$f")" && pwd)
    base=$(basename "$f")
    for i in $(seq 1 "$runs"); do
        start=$(date +%s.%N)
        (cd "$dir" && timeout 60 env "${unset_args[@]}" PYTHONHASHSEED=0 LC_ALL=C.UTF-8 \
            "$py" "$base" </dev/null 2>"$tmp/err$i" | cat >"$tmp/out$i"
            echo "${PIPESTATUS[0]}" >"$tmp/rc$i")
        end=$(date +%s.%N)
        secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
    done
    status=ok
    for i in $(seq 2 "$runs"); do
        for k in out err rc; do
            if ! cmp -s "$tmp/${k}1" "$tmp/$k$i"; then
                status="VARIES ($k, run $i)"
                echo "--- $base: $k differs between run 1 and run $i" >&2
                diff -u "$tmp/${k}1" "$tmp/$k$i" | head -20 >&2
                break 2
            fi
        done
    done
    note=""
    grep -q '0x[0-9a-fA-F]\{4,\}' "$tmp/out1" "$tmp/err1" && note="$note [0x address in output]"
    [ "$(cat "$tmp/rc1")" = 124 ] && note="$note [timed out]"
    awk -v s="$secs" 'BEGIN { exit !(s > 1.0) }' && note="$note [slow: ${secs}s]"
    [ "$status" = ok ] || bad=1
    printf '%-45s %s rc=%s%s\n' "$base" "$status" "$(cat "$tmp/rc1")" "$note"
done
exit $bad
