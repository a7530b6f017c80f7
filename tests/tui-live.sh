#!/usr/bin/env bash
# The scenario page on a live run, in a private tmux server: the run
# starts at once and goes only a little ahead of the cursor (a scenario
# that never ends costs nothing while nobody watches), End follows it and
# any key lets it go; m gives the threads digits and a digit that names a
# thread that cannot run says why; p and s start the run again under the
# next policy and seed; e edits the user's own copy and runs it, or keeps
# the last run when the edit does not even start; q leaves no process
# behind; x shows the bytecode of the line being run, and with m and
# digits the unlocked counter is made to lose two updates.  Every wait polls
# capture-pane until the text appears or a deadline passes.
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "${top_srcdir:-$(dirname "$0")/..}/tests/tmux.sh"
start_env="TMPDIR='$tmp'"
tap_plan 27
dir=$top_srcdir/tests/tui-live
c22=$top_srcdir/lessons/06_Multithreading/contador_2x2.py

# The last step the status bar knows of ("step 12/345" gives 345).
last_step() { cap "$1" | sed -n 's/.*step [0-9]*\/\([0-9]*\).*/\1/p' | tail -1; }
# The size of the run's log (the only telar-run-* file in $tmp).
log_size() { stat -c %s "$tmp"/telar-run-* 2>/dev/null | head -1; }

start a 120 32 || { echo "Bail out! cannot start tmux"; exit 99; }

# 1. A run that never ends opens at once and stops a little ahead.
keys a "'$TELAR' run '$dir/forever.py'" Enter
wait_for a 'step 0/[0-9]+' && wait_for a 'Thread-1'
tap_check "a live run opens on its first records" $? "$(show a)"
s1=$(log_size); sleep 1; s2=$(log_size)
n=$(last_step a)
[ -n "$s1" ] && [ "$s1" = "$s2" ] && [ -n "$n" ] && [ "$n" -lt 200000 ]
tap_check "paused, the run waits a little ahead of the cursor ($n steps)" $? \
    "log $s1 then $s2 bytes" "$(show a)"

# 2. End follows the run; a key lets it go, and it stops again soon.
keys a End
wait_for a 'running'
a1=$(last_step a); sleep 1; a2=$(last_step a)
[ -n "$a1" ] && [ -n "$a2" ] && [ "$a2" -gt "$a1" ]
tap_check "End follows a live run ($a1 then $a2 steps)" $? "$(show a)"
keys a Space Space
ok=1
for i in $(seq 100); do
    s1=$(log_size); sleep 0.3; s2=$(log_size)
    if [ "$s1" = "$s2" ]; then ok=0; break; fi
done
tap_check "a key lets it go: the run stops again" $ok "$(show a)"

# 3. q: the run and everything it started are gone.
keys a q
wait_for a 'telar-test\$ $'
sleep 0.5
pgrep -f "$dir/forever.py" >/dev/null
[ $? != 0 ]
tap_check "q ends the live run, no process left" $? \
    "$(pgrep -a -f "$dir/forever.py")"

# 4. Manual scheduling: digits on the threads, a reason when one cannot run.
keys a "'$TELAR' run '$c22'" Enter
wait_for a 'step 0/[0-9]+'
keys a m
wait_for a '1 MainThread' && wait_for a '3 hilo-2' && wait_for a 'manual'
tap_check "m numbers the threads and says manual" $? "$(show a)"
keys a 3
wait_for a 'hilo-2 is not started yet: it cannot run now'
tap_check "a thread that cannot run is not picked, and it says why" $? \
    "$(show a)"

# 5. p and s: the next policy, the next seed; d compares with the run
#    before: two timelines, where they part ways.
keys a p
wait_for a '│ preempt seed 0'
tap_check "p runs it again under the next policy" $? "$(show a)"
keys a d
wait_for a 'this run: policy preempt, seed 0' &&
    wait_for a 'the run before: manual, from step 0' &&
    wait_for a 'they part ways at step [0-9]+: now [a-zA-Z0-9-]+ runs, before [a-zA-Z0-9-]+ did'
tap_check "d shows both runs and the step where they part ways" $? "$(show a)"
keys a d
wait_gone a 'the run before'
tap_check "d again: one run" $? "$(show a)"
keys a s
wait_for a '│ preempt seed 1'
tap_check "s runs it again with the next seed" $? "$(show a)"
keys a q
wait_for a 'telar-test\$ $'

# 6. A deadlock: the wait-for cycle drawn as a ring, in one sentence.
keys a "'$TELAR' run '$top_srcdir/tests/outcomes/deadlock_two_locks.py'" Enter
wait_for a 'step 0/[0-9]+'
keys a End
wait_for a 'Wait-for cycle' && wait_for a 'banco-A ──cuenta_b─▶ banco-B' &&
    wait_for a '└─+cuenta_a─+┘' && wait_for a 'none of them can ever go on'
tap_check "a deadlock's wait-for cycle is drawn and said in a sentence" $? \
    "$(show a)"
keys a q
wait_for a 'telar-test\$ $'

# 7. A scenario that kills its engine: what it printed, and how it died.
keys a "'$TELAR' run '$dir/killed.py'" Enter
wait_for a 'step [0-9]+/[0-9]+'
keys a End
wait_for a 'the engine died of signal 9' && wait_for a 'antes' &&
    ! cap a | grep -q "│nunca"
tap_check "an engine killed by its scenario: its output, then how it died" \
    $? "$(show a)"
keys a q
wait_for a 'telar-test\$ $'

# 8. The lints, live: a coroutine that blocks its loop is named in the
#    state pane once the cursor reaches it.
keys a "'$TELAR' run '$top_srcdir/tests/lint/blocking_bad.py'" Enter
wait_for a 'step [0-9]+/[0-9]+'
keys a End
wait_for a 'Warnings' && wait_for a 'blocking-step: task Task-3 ran 300 ms'
tap_check "a lint appears in the state pane (blocking-step)" $? "$(show a)"
keys a q
wait_for a 'telar-test\$ $'

# 9. e: the user's copy in $XDG_DATA_HOME, edited, run again; a broken
#    edit is refused with its line, and the last run stays on screen.
copy=$tmp/data/telar/scenarios/06_Multithreading/contador_2x2.py
keys a "XDG_DATA_HOME='$tmp/data' EDITOR='$dir/editor-n3.sh' '$TELAR' run '$c22'" Enter
wait_for a 'step 0/[0-9]+'
keys a e
wait_for a 'step 0/[0-9]+' && sleep 0.5 && keys a End
wait_for a 'finished, exit 0' && wait_for a '│6 *$'
tap_check "e edits the user's copy and runs it: 3 increments each, 6" $? \
    "$(show a)"
grep -q '^N = 3$' "$copy" && grep -q '^N = 2$' "$c22"
tap_check "the copy is in the XDG data directory; the lesson is untouched" $? \
    "$(ls -R "$tmp/data" 2>&1 | head -5)"
keys a q
wait_for a 'telar-test\$ $'
keys a "XDG_DATA_HOME='$tmp/data' EDITOR='$dir/editor-broken.sh' '$TELAR' run '$c22'" Enter
wait_for a 'step 0/[0-9]+'
keys a e
wait_for a 'your edit does not run, the last version stays: line 6: SyntaxError'
tap_check "a broken edit is refused with its line and error" $? "$(show a)"
keys a End
wait_for a 'finished, exit 0' && wait_for a '│4 *$'
tap_check "and the last run is still there (it prints 4)" $? "$(show a)"
keys a q
wait_for a 'telar-test\$ $'

# 10. You are the scheduler.  x shows the bytecode of the line being run in
#     the code pane, the next instruction marked; with m and two digits the
#     unlocked counter loses two updates and prints 2: hilo-1 stops just
#     before STORE_GLOBAL, MainThread starts hilo-2, hilo-2 runs both its
#     increments, hilo-1 writes its 1 over the 2.
cur_step() { cap "$1" | sed -n 's/.*step \([0-9]*\)\/[0-9]*.*/\1/p' | tail -1; }
step_until() {  # step_until SESSION PATTERN...: '.' until every one shows
    local i n p ok
    for i in $(seq 120); do
        ok=1
        for p in "${@:2}"; do
            cap "$1" | grep -q -E -- "$p" || { ok=0; break; }
        done
        [ "$ok" = 1 ] && return 0
        n=$(cur_step "$1")
        keys "$1" .
        wait_for "$1" "step $((n + 1))/"
    done
    return 1
}
digit_of() { cap "$1" | grep -o -E "[1-9] $2 " | head -1 | cut -c1; }
keys a "'$TELAR' run '$c22'" Enter
wait_for a 'step 0/[0-9]+'
keys a m
wait_for a '3 hilo-2' && keys a x
wait_for a '4 Code'
step_until a 'sumar +hilo-1' '▶ +[0-9]+ STORE_GLOBAL +contador' \
    '[0-9]+ LOAD_GLOBAL +contador' 'BINARY_OP +\+='
tap_check "x: the bytecode of contador += 1, STORE_GLOBAL next for hilo-1" \
    $? "$(show a)"
main=$(digit_of a MainThread); h2=$(digit_of a hilo-2)
keys a "$main"
wait_for a "manual, MainThread runs at step"
step_until a 'MainThread blocked'
tap_check "MainThread picked: it starts hilo-2 and waits for it" $? \
    "$(show a)"
keys a "$h2"
wait_for a "hilo-2 running" && keys a End
wait_for a 'finished, exit 0' && wait_for a '│2 *$'
tap_check "hilo-2 picked: two updates lost, the counter prints 2" $? \
    "$(show a)"
tm resize-window -t a -x 80 -y 24
keys a 4
wait_for a '4 Code' && wait_for a 'contador_2x2.py' && wait_for a 'h.start\(\)'
tap_check "80x24: the code is a tab of its own (4)" $? "$(show a)"
tm resize-window -t a -x 120 -y 32
keys a q
wait_for a 'telar-test\$ $'

# 11. o: every outcome of the scenario (telar explore, as a child of the
#     TUI), each with its share of the runs; Enter replays the chosen one
#     here, step by step: the unlocked one-increment counter prints 1.
keys a "'$TELAR' run '$dir/dos_sumas.py'" Enter
wait_for a 'step 0/[0-9]+'
keys a o
wait_for a 'Every outcome of dos_sumas.py'
ok=1
for i in $(seq 1200); do
    cap a | grep -q '2 distinct outcomes; every schedule within the bound' &&
        { ok=0; break; }
    sleep 0.05
done
[ $ok = 0 ] && cap a | grep -q -E 'exit 0 +2⏎' && cap a | grep -q -E 'exit 0 +1⏎'
tap_check "o: the two outcomes, 2 and 1, the space exhausted" $? "$(show a)"
row=$(cap a | grep -E 'exit 0 +1⏎' | sed -E 's/^[^0-9]*([0-9]+) .*/\1/')
keys a "$row"
wait_for a 'schedule: T1:fifo:0:[0-9a-z]'
keys a Enter
wait_for a 'step [0-9]+/[0-9]+' && sleep 1 && keys a End
wait_for a 'finished, exit 0' && wait_for a '│1 *$'
tap_check "Enter replays that outcome: it prints 1" $? "$(show a)"
keys a o
wait_for a 'exploring'
keys a q
wait_for a 'finished, exit 0'
keys a q
wait_for a 'telar-test\$ $'
sleep 0.5
pgrep -f "explore.*dos_sumas" >/dev/null
[ $? != 0 ]
tap_check "q cancels a search; no telar explore left behind" $? \
    "$(pgrep -a -f 'explore.*dos_sumas')"

# 12. r: the same run, looking for data races.  The unlocked counter has
#     one even in a run that prints 4; the locked one has none.
keys a "'$TELAR' run '$c22'" Enter
wait_for a 'step 0/[0-9]+'
keys a r
wait_for a 'race detection on' && wait_for a 'seed 0 races'
keys a End
wait_for a 'finished, exit 0' && wait_for a 'Data races' &&
    wait_for a "data race on global 'contador': hilo-[12] reads it at"
tap_check "r: the unlocked counter's race, named in the state pane" $? \
    "$(show a)"
keys a q
wait_for a 'telar-test\$ $'
keys a "'$TELAR' run '$top_srcdir/lessons/06_Multithreading/contador_con_lock.py'" Enter
wait_for a 'step 0/[0-9]+'
keys a r
wait_for a 'race detection on' && wait_for a 'seed 0 races'
keys a End
wait_for a 'finished, exit 0' &&
    wait_for a 'none: every access to shared data is ordered'
tap_check "r: none with the lock" $? "$(show a)"
keys a q
wait_for a 'telar-test\$ $'
tap_end
