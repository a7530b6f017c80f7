#!/usr/bin/env bash
# telar view, driven inside a private tmux server at fixed sizes (after
# tmux's regress scripts): open a log, step forward, step back to the very
# same screen, play to the end, the deadlock report, a resize below the
# minimum and back, the help overlay, Ctrl-Z and fg, the split layout at
# 200x60, ASCII and monochrome, and q giving the shell back.  Every wait
# polls capture-pane until the text appears or a deadline passes; nothing
# asserts on how long anything took.
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "${top_srcdir:-$(dirname "$0")/..}/tests/tmux.sh"
tap_plan 26

# The logs: a deadlock, and the sample (threads, output, a clean end).
(cd "$tmp" && "$TELAR" run --headless --log dl.log \
    "$top_srcdir/tests/outcomes/deadlock_two_locks.py" >/dev/null 2>&1)
(cd "$tmp" && "$TELAR" run --headless --log hilos.log \
    "$top_srcdir/data/samples/hilos.py" >/dev/null 2>&1)
if [ ! -s "$tmp/dl.log" ] || [ ! -s "$tmp/hilos.log" ]; then
    echo "Bail out! telar run --log wrote no log"
    exit 99
fi

# wait_same SESSION FILE: poll until the pane is exactly FILE.
wait_same() {
    local i
    for i in $(seq 200); do
        cap "$1" >"$tmp/now"
        cmp -s "$tmp/now" "$2" && return 0
        sleep 0.05
    done
    return 1
}

# ---- 80x24: the panes are tabs ---------------------------------------------
start a 80 24 || { echo "Bail out! cannot start tmux"; exit 99; }
keys a "cd '$tmp' && '$TELAR' view dl.log" Enter
wait_for a 'step 0/[0-9]+' && wait_for a 'MainThread'
tap_check "open a log at 80x24: the timeline and the status bar" $? \
    "$(show a)"

cap a >"$tmp/step0"
keys a .
wait_gone a 'step 0/'
cap a >"$tmp/step1"
! cmp -s "$tmp/step0" "$tmp/step1" && grep -q -E 'step [1-9][0-9]*/' \
    "$tmp/step1"
tap_check "one step forward changes the screen" $? "$(cat "$tmp/step1")"

keys a Left
wait_same a "$tmp/step0"
tap_check "one step back gives the very same screen" $? \
    "$(diff "$tmp/step0" "$tmp/now")"

keys a n
wait_gone a 'step 0/'
tap_check "n goes to the next notable event" $? "$(show a)"

keys a Home +
wait_for a 'paused 20/s'
r1=$?
keys a - -
wait_for a 'paused 5/s'
[ $r1 = 0 ] && [ $? = 0 ]
tap_check "+ and - change the speed in the status bar (10, 20, 5 steps/s)" \
    $? "$(show a)"

keys a + + + + + + ' '
wait_for a 'DEADLOCK'
tap_check "space plays to the end: DEADLOCK in the status bar" $? \
    "$(show a)"

keys a 3
wait_for a 'cycle: banco-A waits for cuenta_b' && wait_for a 'Wait-for cycle'
tap_check "the state pane shows the deadlock report" $? "$(show a)"

tm resize-window -t a -x 30 -y 8
wait_for a 'too small' && wait_for a 'have 30x8, need'
tap_check "below the minimum: the too-small screen" $? "$(show a)"

tm resize-window -t a -x 80 -y 24
wait_gone a 'too small' && wait_for a 'cycle: banco-A' \
    && wait_for a 'Tab: next pane'
tap_check "back to 80x24: the normal screen again" $? "$(show a)"

keys a '?'
wait_for a 'telar view: keys'
tap_check "? opens the help overlay" $? "$(show a)"
keys a Escape
wait_gone a 'telar view: keys' && wait_for a 'cycle: banco-A'
tap_check "Esc closes it" $? "$(show a)"

keys a C-z
wait_for a 'Stopped' && wait_gone a 'Tab: next pane'
tap_check "Ctrl-Z gives the shell back" $? "$(show a)"
keys a fg Enter
wait_for a 'Tab: next pane' && wait_for a 'cycle: banco-A' \
    && wait_for a 'DEADLOCK'
tap_check "fg brings the viewer back intact" $? "$(show a)"

keys a q
wait_for a "^telar-test\\$ ?\$" \
    && wait_gone a 'Tab: next pane|DEADLOCK|Timeline'
tap_check "q restores the shell: prompt back, nothing of the UI left" $? \
    "$(show a)"

# The mouse (X10 reports, what ncurses asks tmux for under TERM=screen):
# a press and a release at a 0-based column and row.
click() {
    local s=$1 x=$2 y=$3 cx cy
    cx=$(printf '%03o' $((33 + x)))
    cy=$(printf '%03o' $((33 + y)))
    keys "$s" -l "$(printf "\\033[M \\$cx\\$cy")"
    keys "$s" -l "$(printf "\\033[M#\\$cx\\$cy")"
}
keys a "clear; '$TELAR' view dl.log" Enter
wait_for a 'step 0/'
click a 27 0
wait_for a '^Actors' && wait_for a 'MainThread running'
tap_check "mouse: a click on the third tab shows the state pane" $? \
    "$(show a)"
keys a 1
wait_for a 'time +0'
click a 60 3
wait_gone a 'step 0/'
tap_check "mouse: a click in the timeline moves the cursor there" $? \
    "$(show a)"
keys a q
wait_gone a 'Tab: next pane'

# Killed: the terminal comes back all the same.  $$ of the sh is telar's
# pid once it execs.
killable="sh -c 'echo \$\$ >view.pid; ulimit -c 0; \
exec \"$TELAR\" view dl.log'"
keys a "clear; $killable" Enter
wait_for a 'Tab: next pane'
kill -TERM "$(cat "$tmp/view.pid")"
wait_for a "^telar-test\\$ ?\$" && wait_gone a 'Tab: next pane|Timeline'
tap_check "SIGTERM: the shell's screen comes back" $? "$(show a)"
keys a "clear; $killable" Enter
wait_for a 'Tab: next pane'
kill -ABRT "$(cat "$tmp/view.pid")"
wait_for a 'Aborted' && wait_for a "^telar-test\\$ ?\$" \
    && wait_gone a 'Tab: next pane|Timeline'
tap_check "SIGABRT: restored first, then the abort" $? "$(show a)"

# ASCII glyphs and no colours, here because the locale is not UTF-8.
keys a "clear; LC_ALL=C '$TELAR' view --no-color dl.log" Enter
wait_for a '# running +- ready +x blocked'
tap_check "a non-UTF-8 locale gives ASCII glyphs" $? "$(show a)"
keys a q
wait_gone a 'ready'

# Without a terminal it says so.
"$TELAR" view "$tmp/dl.log" </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q 'terminal' "$tmp/err"
tap_check "no terminal: a message and exit 2" $? "exit $rc" \
    "$(cat "$tmp/err")"

# ---- 200x60: the panes side by side -----------------------------------------
start b 200 60 || { echo "Bail out! cannot start tmux"; exit 99; }
keys b "cd '$tmp' && '$TELAR' view hilos.log" Enter
wait_for b '1 Timeline' && wait_for b '2 Output' && wait_for b '3 State' \
    && wait_for b '4 Code'
tap_check "200x60: timeline, code, output and state at once" $? "$(show b)"
keys b End
wait_for b 'finished, exit 0' && wait_for b 'contador = 6' \
    && wait_for b 'hilo-1'
tap_check "End: the whole output, the clean end in the status bar" $? \
    "$(show b)"
keys b q
wait_for b "^telar-test\\$ ?\$"

# telar run FILE in a terminal: the run, then its scenario view.
keys b "clear; '$TELAR' run '$top_srcdir/data/samples/hilos.py'" Enter
wait_for b '1 Timeline' && keys b End && wait_for b 'finished, exit 0' \
    && wait_for b 'contador = 6'
tap_check "telar run FILE in a terminal opens the scenario view" $? \
    "$(show b)"
keys b q
wait_for b "^telar-test\\$ ?\$"

# A file that cannot run: the reason in the pane, the UI still there.
keys b "clear; '$TELAR' run '$tmp/missing.py'" Enter
wait_for b 'could not run' && wait_for b 'missing.py: No such file' \
    && wait_for b 'q quit'
tap_check "a scenario that cannot start: the error in the pane" $? \
    "$(show b)"
keys b q
wait_for b "^telar-test\\$ ?\$"

# A run that never ends: shown live while it goes on (tests/tui-live.sh
# has the rest), q stops it and leaves no process behind.
printf 'while True:\n    pass\n' >"$tmp/forever.py"
keys b "clear; '$TELAR' run '$tmp/forever.py'" Enter
wait_for b 'step [0-9]+/[0-9]+' && wait_for b 'MainThread' &&
    pgrep -f -- "-- $tmp/forever.py" >/dev/null
tap_check "a run under way is shown live" $? "$(show b)"
keys b q
wait_for b "^telar-test\\$ ?\$"
gone=1
for i in $(seq 100); do
    pgrep -f -- "-- $tmp/forever.py" >/dev/null || { gone=0; break; }
    sleep 0.05
done
tap_check "q stops the run: its process is gone" $gone \
    "$(pgrep -af forever.py)"

tap_end
