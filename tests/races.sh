#!/usr/bin/env bash
# Race detection (issue 6): telar run --races reports every racy program
# of tests/races (the variable and both lines, whatever the schedule) and
# nothing on the correctly synchronised ones; the run itself is the run
# without --races; telar races LOG says the same over a saved log; the
# other readers of the log take the new records.
#
# Each scenario says what to expect on its first line:
#   # race: WHERE lines A B    a sentence "data race on WHERE..." naming
#                              lines A and B of the file
#   # race: none               "telar: no data races found"
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
dir=$top_srcdir/tests/races
policies=("--policy gil" "--policy fifo" "--policy preempt --seed 1"
          "--policy preempt --seed 2" "--policy rr:3")
files=("$dir"/*.py)
tap_plan $(( ${#files[@]} + 11 ))

# expect_of FILE: its "# race:" line, without the prefix.
expect_of() { sed -n '1s/^# race: //p' "$1"; }

for f in "${files[@]}"; do
    base=$(basename "$f")
    want=$(expect_of "$f")
    bad=""
    for p in "${policies[@]}"; do
        # shellcheck disable=SC2086 # the policy's words, split on purpose
        run_telar "$tmp" run --headless --races $p "$f"
        rc=$(cat "$tmp/rc")
        if [ "$want" = none ]; then
            if [ "$rc" != 0 ] || grep -q 'data race on' "$tmp/err" ||
               [ "$(tail -n 1 "$tmp/err")" != "telar: no data races found" ]; then
                bad="$bad [$p: status $rc] $(cat "$tmp/err")"
            fi
            continue
        fi
        where=${want% lines *}
        set -- ${want##* lines }
        a=$1 b=$2
        # The sentence names the variable and both positions, in either
        # order (which access comes later depends on the schedule).
        if [ "$rc" != 0 ] ||
           ! grep -F "telar: data race on $where" "$tmp/err" |
               grep -qE "at [^ ]*$base:($a \(.* at [^ ]*$base:$b|$b \(.* at [^ ]*$base:$a) \([A-Z_]+\), with nothing ordering the two\.$" ||
           ! tail -n 1 "$tmp/err" | grep -qE '^telar: [0-9]+ data races? found$'; then
            bad="$bad [$p: status $rc] $(cat "$tmp/err")"
        fi
    done
    if [ "$want" = none ]; then
        name="$base: no race reported under gil, fifo, preempt, rr"
    else
        name="$base: the race on $want is reported under gil, fifo, preempt, rr"
    fi
    [ -z "$bad" ]
    tap_check "$name" $? "$bad"
done

# --races does not change the run: the same output, the same schedule, the
# same log once its race records are left out (code ids aside: the race
# records may name a code object earlier).
same=""
for f in contador_2x2.py con_cola.py asyncio_hilos.py direcciones_reusadas.py; do
    for p in "--policy gil" "--policy preempt --seed 4"; do
        # shellcheck disable=SC2086
        run_telar "$tmp" run --headless $p --print-schedule --log "$tmp/a.log" "$dir/$f"
        cp "$tmp/out" "$tmp/a.out"; grep -v 'data race' "$tmp/err" >"$tmp/a.err"
        # shellcheck disable=SC2086
        run_telar "$tmp" run --headless --races $p --print-schedule --log "$tmp/b.log" "$dir/$f"
        grep -v 'data race' "$tmp/err" >"$tmp/b.err"
        for x in a b; do
            "$TELAR" log "$tmp/$x.log" |
                grep -Ev '^[0-9]+ -?[0-9]+ (run|code|loc|access|sync|race) ' |
                sed 's/ code=[0-9]*//' >"$tmp/$x.txt"
        done
        cmp -s "$tmp/a.out" "$tmp/out" && cmp -s "$tmp/a.err" "$tmp/b.err" &&
            cmp -s "$tmp/a.txt" "$tmp/b.txt" || same="$same [$f $p]"
    done
done
[ -z "$same" ]
tap_check "--races leaves output, schedule and log as they were" $? "differ:$same"

# The report comes after the scenario's output, on stderr; the exit status
# is the scenario's own.
cat >"$tmp/sale.py" <<'EOF'
import sys, threading
n = 0
def f():
    global n
    n += 1
t = threading.Thread(target=f); t.start(); n += 1; t.join()
print("salgo", file=sys.stderr)
sys.exit(5)
EOF
run_telar "$tmp" run --headless --races "$tmp/sale.py"
[ "$(cat "$tmp/rc")" = 5 ] && [ "$(head -n 1 "$tmp/err")" = salgo ] &&
    grep -q "^telar: data race on global 'n': " "$tmp/err" &&
    [ "$(tail -n 1 "$tmp/err")" = "telar: 1 data race found" ]
tap_check "the report follows the output; the exit status stays the scenario's" $? \
    "status $(cat "$tmp/rc")" "$(cat "$tmp/err")"

# telar races LOG says what the run said; exit 1 with races, 0 without.
run_telar "$tmp" run --headless --races --log "$tmp/r.log" "$dir/atributo.py"
grep '^telar: ' "$tmp/err" >"$tmp/run.txt"
"$TELAR" races "$tmp/r.log" >"$tmp/races.txt" 2>&1; rc=$?
[ "$rc" = 1 ] && cmp -s "$tmp/run.txt" "$tmp/races.txt"
tap_check "telar races LOG reports what the run reported (exit 1)" $? \
    "status $rc" "$(diff "$tmp/run.txt" "$tmp/races.txt")"
run_telar "$tmp" run --headless --races --log "$tmp/ok.log" "$dir/con_lock.py"
"$TELAR" races "$tmp/ok.log" >"$tmp/races.txt" 2>&1; rc=$?
[ "$rc" = 0 ] && [ "$(cat "$tmp/races.txt")" = "telar: no data races found" ]
tap_check "telar races LOG on a race-free run: exit 0" $? "$(cat "$tmp/races.txt")"

# The log keeps each race (EV_RACE) with the sentence; telar log shows the
# new records.
"$TELAR" log "$tmp/r.log" >"$tmp/log.txt" 2>&1
grep -q " race actor=[0-9]* at=[0-9]* other=[0-9]* other_at=[0-9]* loc=[0-9]* \"data race on attribute 'saldo'" "$tmp/log.txt" &&
    grep -q " loc loc=[0-9]* kind=attribute name=\"saldo\" label=\"cuenta\" type=\"Cuenta\"" "$tmp/log.txt" &&
    grep -q " access actor=[0-9]* loc=[0-9]* STORE_ATTR code=[0-9]* line=13 offset=[0-9]*" "$tmp/log.txt" &&
    grep -q " sync actor=0 start thread=[0-9]" "$tmp/log.txt" &&
    grep -q " sync actor=[0-9]* acquire chan=[0-9]" "$tmp/log.txt"
tap_check "telar log shows locations, accesses, facts and races" $? \
    "$(grep -E ' (loc|access|sync|race) ' "$tmp/log.txt" | head -20)"

# The other readers: lint over the log, and every report of a run at once.
"$TELAR" lint "$tmp/r.log" >"$tmp/lint.txt" 2>&1; rc=$?
run_telar "$tmp" run --headless --races --lint --stats --timeline \
    --trace "$tmp/t.json" "$dir/asyncio_hilos.py"
[ "$rc" -le 1 ] && [ "$(cat "$tmp/rc")" = 0 ] && [ -s "$tmp/t.json" ] &&
    grep -q 'no data races found' "$tmp/err" &&
    grep -q 'steps, .* switches' "$tmp/err" && grep -q 'warning\|no warnings' "$tmp/err"
tap_check "lint, stats, timeline and trace read a log with race records" $? \
    "lint status $rc" "$(cat "$tmp/lint.txt" "$tmp/err")"

# Recorded without --races: telar races says how to record it.  Usage
# errors exit 2.
run_telar "$tmp" run --headless --log "$tmp/plain.log" "$dir/contador_2x2.py"
"$TELAR" races "$tmp/plain.log" >/dev/null 2>"$tmp/e"; a=$?
"$TELAR" races >/dev/null 2>>"$tmp/e"; b=$?
"$TELAR" races "$tmp/plain.log" "$tmp/r.log" >/dev/null 2>>"$tmp/e"; c=$?
printf 'garbage' >"$tmp/garbage.log"
"$TELAR" races "$tmp/garbage.log" >/dev/null 2>>"$tmp/e"; d=$?
[ "$a$b$c$d" = 2222 ] && grep -q "recorded without --races" "$tmp/e" &&
    [ "$(grep -c '^telar races: ' "$tmp/e")" = 4 ]
tap_check "telar races: a log without races records, usage errors: exit 2" $? \
    "statuses $a $b $c $d" "$(cat "$tmp/e")"

# asyncio alone never starts a thread: nothing is recorded at all.
run_telar "$tmp" run --headless --races --log "$tmp/aio.log" "$dir/asyncio_tareas.py"
! "$TELAR" log "$tmp/aio.log" | grep -qE '^[0-9]+ -?[0-9]+ (access|sync) '
tap_check "a run with one thread logs no accesses" $? \
    "$("$TELAR" log "$tmp/aio.log" | grep -E ' (access|sync) ' | head)"

# Accesses are logged once per thread, place and epoch: the 8 x 1000
# counter stays small.
run_telar "$tmp" run --headless --races --stats "$dir/contador_grande.py"
recs=$(sed -n 's/.*log: \([0-9]*\) records.*/\1/p' "$tmp/err")
[ -n "$recs" ] && [ "$recs" -lt 20000 ]
tap_check "the log of contador_grande.py stays compact ($recs records)" $? \
    "$(cat "$tmp/err")"

# Multiprocessing: the same global in two processes is two variables.
run_telar "$tmp" run --headless --races "$dir/procesos.py"
[ "$(cat "$tmp/rc")" = 0 ] && grep -q '^hijo 2$' "$tmp/out" &&
    grep -q '^padre 10$' "$tmp/out" &&
    [ "$(tail -n 1 "$tmp/err")" = "telar: no data races found" ]
tap_check "processes: a global of parent and child is no shared data" $? \
    "$(cat "$tmp/out" "$tmp/err")"

# The Spanish catalogue, when the system has a Spanish locale.
if locale -a 2>/dev/null | grep -qi '^es_ES\.utf-\?8$' &&
   [ -f "$(es_gmo)" ]; then
    mkdir -p "$tmp/locale/es/LC_MESSAGES"
    cp "$(es_gmo)" "$tmp/locale/es/LC_MESSAGES/telar.mo"
    TELAR_LOCALEDIR=$tmp/locale LC_ALL=es_ES.UTF-8 run_telar "$tmp" run --headless \
        --races "$dir/contador_2x2.py"
    grep -q "^telar: carrera de datos en la variable global 'contador': hilo-[12] .* en [^ ]*contador_2x2.py:11 (.*) mientras hilo-[12] .*, sin nada que ordene ambos accesos\.$" "$tmp/err" &&
        grep -q '^telar: 1 carrera de datos encontrada$' "$tmp/err"
    tap_check "the report in Spanish" $? "$(cat "$tmp/err")"
else
    tap_ok "the report in Spanish # SKIP no es_ES.UTF-8 locale or no es.gmo"
fi
tap_end
