#!/usr/bin/env bash
# Bad input gets a clear message and the documented exit status, never a
# crash or a hang.  Where CPython has its own answer (syntax errors, an
# exception in a thread, os._exit), telar must give exactly the same.
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
dir=$top_srcdir/tests/bad
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/o" "$tmp/t"
tap_plan 17

expect() {  # expect NAME RC PATTERN
    local name=$1 rc=$2 pat=$3 got
    got=$(cat "$tmp/t/rc")
    [ "$got" = "$rc" ] && grep -q -E "$pat" "$tmp/t/err"
    tap_check "$name" $? "exit $got (want $rc)" "$(head -5 "$tmp/t/err")"
}

run_telar "$tmp/t" run --headless "$tmp/missing.py"
expect "missing file: exit 2, one clear line" 2 'cannot open .*missing.py: No such file'
run_telar "$tmp/t" run --headless "$dir"
expect "a directory: exit 2" 2 'is a directory'
run_telar "$tmp/t" run --headless --policy nope "$dir/os_exit.py"
expect "unknown policy: exit 2" 2 'policy'
run_telar "$tmp/t" run --headless --seed -3 "$dir/os_exit.py"
expect "bad --seed: exit 2" 2 'seed'
run_telar "$tmp/t" run --headless --max-steps 100000 "$dir/never_ends.py"
expect "an endless loop is stopped by --max-steps: exit 4" 4 'stopped after 100000 steps'
run_telar "$tmp/t" run --headless --max-steps 100000 "$dir/never_ends_gen.py"
expect "an endless loop in a generator is stopped too: exit 4" 4 'stopped after 100000 steps'
run_telar "$tmp/t" run --headless --max-steps 100000 "$dir/never_ends_sleep.py"
expect "an endless sleeping loop is stopped too: exit 4" 4 'stopped after'
run_telar "$tmp/t" run --headless --max-memory 200M "$dir/memory_hog.py"
expect "a memory hog hits the memory bound: exit 4" 4 'memory'
run_telar "$tmp/t" run --headless "$dir/forkserver.py"
expect "the forkserver start method: refused, exit 1" 1 \
    "RuntimeError: telar cannot run the 'forkserver' start method"
# spawn without the __main__ guard: CPython's own RuntimeError in the
# child, exitcode 1 in the parent (tests/oracle-mp compares it whole).
run_telar "$tmp/t" run --headless "$top_srcdir/tests/oracle-mp/spawn_missing_guard.py"
expect "spawn without the __main__ guard: CPython's RuntimeError" 0 \
    'An attempt has been made to start a new process before the'
# Nothing outlives a run: no process of its session (spawned children,
# the resource tracker) is left once telar has exited.
setsid -w "$TELAR" run --headless "$top_srcdir/tests/oracle-mp/spawn_queue_pipe.py" \
    >"$tmp/t/out" 2>&1 &
sid=$!
wait "$sid"; rc=$?
left=$(ps -e -o sid=,pid=,args= | awk -v s="$sid" '$1 == s')
[ "$rc" = 0 ] && [ -z "$left" ]
tap_check "no process of a spawn run outlives it" $? "exit $rc" "$left"

# The rest have CPython's own answer: compare.
if ! oracle_ok; then
    for name in syntax_error binary_garbage os_exit thread_raises import_sibling \
                spawn_child_dies; do
        tap_ok "$name # SKIP no oracle interpreter matching the embedded libpython"
    done
    tap_end; exit
fi
for name in syntax_error binary_garbage os_exit thread_raises import_sibling \
            spawn_child_dies; do
    run_oracle "$tmp/o" "$dir/$name.py"
    run_telar "$tmp/t" run --headless "$dir/$name.py"
    cmp -s "$tmp/o/out" "$tmp/t/out" && cmp -s "$tmp/o/err" "$tmp/t/err" &&
        cmp -s "$tmp/o/rc" "$tmp/t/rc"
    tap_check "$name.py: as python3" $? \
        "$(diff "$tmp/o/out" "$tmp/t/out" | head -10)" \
        "$(diff "$tmp/o/err" "$tmp/t/err" | head -20)" \
        "exit: $(cat "$tmp/o/rc") vs $(cat "$tmp/t/rc")"
done
tap_end
