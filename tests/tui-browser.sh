#!/usr/bin/env bash
# The lesson browser, a lesson page and their pages (issue 5), driven in a
# private tmux server at fixed sizes: the chapters in course order, open
# "Condiciones de carrera", its heading and highlighted code, scrolling,
# a scenario run from the lesson, l back to the text, q back to the
# browser, q out with the shell restored; progress marks that survive a
# restart (XDG_STATE_HOME in a temporary folder); telar 06/race_conditions;
# the too-small screen; --lang es and en; errors without a terminal.
# Every wait polls capture-pane until the text appears or a deadline
# passes; nothing asserts on how long anything took.
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
. "${top_srcdir:-$(dirname "$0")/..}/tests/tmux.sh"
# Progress under $tmp/state, the Spanish catalogue from the build tree.
start_env="LANGUAGE= XDG_STATE_HOME='$tmp/state' TELAR_LOCALEDIR='$tmp/locale'"
tap_plan 29

# The Spanish catalogue from the build tree, for --lang es.
gmo=$(es_gmo)
mkdir -p "$tmp/locale/es/LC_MESSAGES"
[ -f "$gmo" ] && cp "$gmo" "$tmp/locale/es/LC_MESSAGES/telar.mo"

# line_of SESSION ERE: the first screen line that matches (0 if none).
line_of() { cap "$1" | grep -n -E -m1 -- "$2" | cut -d: -f1; }
prompt_back() {
    wait_for "$1" "^telar-test\\$ ?\$" &&
        [ "$(tm display -p -t "$1" '#{alternate_on}')" = 0 ]
}

# ---- 80x24 ------------------------------------------------------------------
start a 80 24 || { echo "Bail out! cannot start tmux"; exit 99; }
keys a "cd '$tmp' && '$TELAR'" Enter
wait_for a 'telar: the lessons' && wait_for a '12 chapters, 45 lessons'
tap_check "telar opens the lesson browser" $? "$(show a)"

a=$(line_of a '^ 00 Introducción a la concurrencia')
b=$(line_of a '1\. Concurrencia frente a paralelismo')
c=$(line_of a '^ 01 Fundamentos de async/await')
d=$(line_of a '4\. Antipatrones de async')
e=$(line_of a '^ 02 asyncio en profundidad')
[ -n "$a" ] && [ -n "$e" ] && [ "$a" -lt "$b" ] && [ "$b" -lt "$c" ] &&
    [ "$c" -lt "$d" ] && [ "$d" -lt "$e" ]
tap_check "chapters and lessons in course order" $? "$(show a)"

cap a | grep -q -E 'Concurrencia frente a paralelismo +\(not written yet\)' &&
    cap a | grep -q 'Diferencias reales y cuándo usar cada una'
tap_check "an unwritten lesson is marked, its summary below" $? "$(show a)"

keys a Enter
wait_for a 'is not written yet' && wait_for a 'telar: the lessons'
tap_check "an unwritten lesson does not open" $? "$(show a)"

keys a G
wait_for a 'Ejercicios: pipelines reales' && wait_for a '^ 11 Resumen'
tap_check "G: the last lesson of the last chapter" $? "$(show a)"

keys a / c a r r e r a Enter
wait_for a '3\. Condiciones de carrera +0/6 scenarios' &&
    wait_for a 'El incremento perdido: por qué contador \+= 1 no es'
tap_check "/ finds a lesson by title; its summary, Markdown rendered" $? \
    "$(show a)"

keys a Enter
wait_for a '^ Condiciones de carrera' &&
    wait_for a 'Una condición de carrera aparece cuando' &&
    wait_for a '^ Scenarios' && wait_for a 'Una ejecución que pierde un'
tap_check "Enter opens the lesson: its text and its scenarios" $? \
    "$(show a)"

keys a j j j j
wait_for a '^  El incremento perdido$' && wait_for a '─────────────'
tap_check "the text scrolls; a heading with its rule" $? "$(show a)"

tm capture-pane -e -p -t a | grep 'sumar' | head -1 >"$tmp/esc"
grep -q $'\e\\[[0-9;]*m\\(\e\\[[0-9;]*m\\)*def\e' "$tmp/esc" &&
    ! grep -q $'\e\\[[0-9;]*m *def sumar' "$tmp/esc"
tap_check "a code block: def highlighted, apart from the name" $? \
    "$(cat -v "$tmp/esc")"

keys a G
wait_for a 'siendo correcto' && wait_for a ' 100% ?$'
tap_check "G: the end of the text" $? "$(show a)"

keys a 3
keys a Enter
wait_for a 'Timeline' && wait_for a 'step 0/[0-9]+'
tap_check "Enter runs the chosen scenario: its timeline" $? "$(show a)"
keys a End
wait_for a 'finished, exit 0'
tap_check "the run to its end" $? "$(show a)"

keys a l
wait_for a '^ Scenarios' && wait_for a ' 3 ✓ Una ejecución que pierde'
tap_check "l goes back to the lesson; the scenario is marked done" $? \
    "$(show a)"

keys a q
wait_for a 'telar: the lessons' &&
    wait_for a '●  3\. Condiciones de carrera +1/6 scenarios'
tap_check "q goes back to the browser, progress marks shown" $? "$(show a)"

keys a q
prompt_back a && wait_gone a 'telar: the lessons'
tap_check "q quits: the shell's screen is back" $? "$(show a)"

grep -q -P '^done\t06_Multithreading/race_conditions\tcontador_2x2.py\tpreempt\t31$' \
    "$tmp/state/telar/progress" &&
    grep -q -P '^opened\t06_Multithreading/race_conditions$' \
        "$tmp/state/telar/progress"
tap_check "the progress file holds the lesson and the scenario" $? \
    "$(cat "$tmp/state/telar/progress" 2>&1)"

keys a "clear; '$TELAR'" Enter
wait_for a 'telar: the lessons' && keys a / c a r r Enter &&
    wait_for a '●  3\. Condiciones de carrera +1/6 scenarios' &&
    wait_for a '1 opened'
tap_check "the marks survive a restart" $? "$(show a)"
keys a q
prompt_back a

# The run of a runnable block (its text written to a temporary file).
keys a "clear; '$TELAR' 06/race_conditions" Enter
wait_for a 'Una condición de carrera aparece cuando'
tap_check "telar 06/race_conditions opens the lesson" $? "$(show a)"
keys a 1 Enter
wait_for a 'Timeline' && keys a End 2 &&
    wait_for a 'STORE_GLOBAL contador' && wait_for a 'finished, exit 0'
tap_check "a runnable block runs as a scenario" $? "$(show a)"
keys a q
wait_for a '^ Scenarios' && wait_for a ' 1 ✓ Lo que hay dentro'
keys a q
wait_for a 'telar: the lessons' && wait_for a '2/6 scenarios'
tap_check "a lesson opened by id has the browser beneath" $? "$(show a)"

# Too small and back.
tm resize-window -t a -x 50 -y 12
wait_for a 'telar: the lessons' && wait_gone a 'too small'
ok1=$?
tm resize-window -t a -x 40 -y 10
wait_for a 'too small: have 40x10, need 50x12'
ok2=$?
tm resize-window -t a -x 80 -y 24
wait_gone a 'too small' && wait_for a 'telar: the lessons' &&
    [ "$ok1" = 0 ] && [ "$ok2" = 0 ]
tap_check "50x12 works; 40x10 says too small; 80x24 recovers" $? \
    "$(show a)"
keys a q
prompt_back a

# --lang, before and after the command.
keys a "clear; '$TELAR' --lang es" Enter
wait_for a 'telar: las lecciones' && wait_for a '\(sin escribir\)'
tap_check "--lang es: the browser in Spanish" $? "$(show a)"
keys a q
prompt_back a
keys a "clear; LANGUAGE=es '$TELAR' --lang en" Enter
wait_for a 'telar: the lessons' && wait_for a '\(not written yet\)'
tap_check "--lang en wins over LANGUAGE=es" $? "$(show a)"
keys a q
prompt_back a
TELAR_LOCALEDIR=$tmp/locale LC_ALL=C "$TELAR" run --lang es --help \
    >"$tmp/out" 2>&1
grep -q '^Uso: telar run' "$tmp/out"
tap_check "telar run --lang es --help, even in the C locale" $? \
    "$(head -3 "$tmp/out")"

# ---- Errors -----------------------------------------------------------------
"$TELAR" </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q 'need a terminal' "$tmp/err" &&
    grep -q -- '--headless' "$tmp/err" && grep -q 'telar check' "$tmp/err"
tap_check "telar without a terminal: says so, exit 2" $? "exit $rc" \
    "$(cat "$tmp/err")"
"$TELAR" 06/race_conditions </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q 'need a terminal' "$tmp/err"
tap_check "telar LESSON without a terminal: exit 2" $? "exit $rc" \
    "$(cat "$tmp/err")"
"$TELAR" 06/no_such_lesson >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 2 ] && grep -q "'06/no_such_lesson' is neither a command nor a lesson" \
    "$tmp/err" && grep -q '06_Multithreading/race_conditions' "$tmp/err"
tap_check "an unknown lesson: how to find ids, exit 2" $? "exit $rc" \
    "$(cat "$tmp/err")"

# ---- 200x60 -----------------------------------------------------------------
start b 200 60 || { echo "Bail out! cannot start tmux"; exit 99; }
keys b "cd '$tmp' && '$TELAR'" Enter
wait_for b '^ 11 Resumen y ejercicios' &&
    wait_for b 'Condiciones de carrera +2/6 scenarios'
tap_check "200x60: the whole course at once" $? "$(show b)"
keys b / i n t e r b Enter Enter
wait_for b '^ Cómo evitar interbloqueos' && wait_for b '^ Scenarios'
ok1=$?
# The text (between the title and the scenarios) stays within 104 columns.
w=$(cap b | sed -n '2,/^ Scenarios/p' | sed '$d' | LC_ALL=C.UTF-8 wc -L)
[ "$ok1" = 0 ] && [ "$w" -gt 80 ] && [ "$w" -le 104 ]
tap_check "200x60: a lesson, its text kept to a readable width" $? \
    "widest line: $w" "$(show b)"
keys b q q
prompt_back b

tap_end
