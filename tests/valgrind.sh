#!/usr/bin/env bash
# The engine under valgrind's memcheck: no invalid read or write, no use of
# uninitialised memory, no definite leak, on a set of scenarios that cover
# threads, locks, queues, asyncio tasks, executors, a deadlock and a bound.
# CPython's own reports are suppressed with the file Debian's valgrind
# ships for it (python3.supp).  Skipped when valgrind is not installed.
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
if ! command -v valgrind >/dev/null 2>&1; then
    echo "1..0 # SKIP valgrind is not installed"
    exit 0
fi
supp=
for f in /usr/lib/valgrind/python3.supp /usr/lib/x86_64-linux-gnu/valgrind/python3.supp; do
    [ -f "$f" ] && supp="--suppressions=$f"
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cases="data/samples/hilos.py:0
tests/oracle/asyncio_gather.py:0
tests/oracle/futures_map.py:0
tests/oracle/queue_task_done_join.py:0
tests/outcomes/deadlock_two_locks.py:3
tests/bad/thread_raises.py:0"
tap_plan "$(echo "$cases" | wc -l)"
for c in $cases; do
    file=${c%:*} want=${c##*:}
    TELAR_KEEP_ASLR=1 timeout 300 valgrind -q --error-exitcode=99 \
        --leak-check=full --errors-for-leak-kinds=definite \
        --show-possibly-lost=no $supp \
        "$TELAR" run --headless "$top_srcdir/$file" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" = "$want" ] && ! grep -q '^==[0-9]*== [A-Z]' "$tmp/err"
    tap_check "valgrind: $file" $? "exit $rc (want $want)" \
        "$(grep '^==' "$tmp/err" | head -20)"
done
tap_end
