#!/usr/bin/env bash
# telar check: the shipped lessons pass (under telar, and under python3
# where the oracle matches), and every broken lesson in tests/lessons-bad
# gets its exact "file:line:col: error: ..." and exit status 1, never a
# crash or a hang.
set -u
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
bad=$top_srcdir/tests/lessons-bad
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# NAME|exact first line of stderr (paths relative to tests/lessons-bad)
cases=(
"sin_front_matter.md|sin_front_matter.md:1:1: error: expected '---' alone on the first line, to open the front matter"
"sin_cierre.md|sin_cierre.md:6:1: error: expected a line '---' to close the front matter opened at line 1"
"clave_desconocida.md|clave_desconocida.md:6:1: error: expected one of the keys title, order, chapter, summary, scenarios; found 'titel'"
"sangria_mala.md|sangria_mala.md:8:6: error: expected an indentation of 4 spaces, found 5"
"tabulador.md|tabulador.md:7:1: error: expected spaces for indentation, found a tab"
"cadena_abierta.md|cadena_abierta.md:8:19: error: expected '\"' to close the string opened at column 12"
"valor_ambiguo.md|valor_ambiguo.md:2:8: error: expected a string for 'title': write \"no\" in quotes (YAML reads it otherwise)"
"fichero_inexistente.md|fichero_inexistente.md:7:11: error: expected a file 'no_existe.py' beside the lesson: No such file or directory"
"expectativa_mala.md|expectativa_mala.md:9:5: error: expected output \"5\", got \"4\""
"bloque_inexistente.md|bloque_inexistente.md:7:12: error: expected a code block marked {#nada run} in the lesson; there is none"
"bloque_sin_escenario.md|bloque_sin_escenario.md:8:1: error: expected a scenario for the runnable block 'suelto': add '- block: suelto' under scenarios"
"sin_prueba_tu.md|sin_prueba_tu.md:10:1: error: expected the heading '## Prueba tú', found 'Prueba tu'"
"resultados_faltan.md|resultados_faltan.md:10:5: error: expected the outcome \"5\" among seeds 0 to 2 under preempt, but no seed gave it"
"interbloqueo_esperado.md|interbloqueo_esperado.md:9:5: error: expected exit status 3, got 0"
"sintaxis_python.md|sintaxis_python.md:9:5: error: expected exit status 0, got 1"
"vigilar_ausente.md|vigilar_ausente.md:9:12: error: expected the watched name 'contador' in the scenario's code"
"sin_fin.md|sin_fin.md:9:5: error: expected the run to end, but it was stopped after 100000 steps (--max-steps)"
)
tap_plan $((${#cases[@]} + 6))

# 1. The shipped lessons, under telar.
run_telar "$tmp" check "$top_srcdir/lessons"
[ "$(cat "$tmp/rc")" = 0 ] && ! grep -q '^FAIL' "$tmp/out" &&
    grep -q -E '^lessons: [1-9][0-9]* checked, 0 failed; scenarios: [1-9][0-9]* run, 0 failed$' "$tmp/out"
tap_check "telar check lessons/: every lesson and scenario passes ($(tail -1 "$tmp/out"))" $? \
    "exit $(cat "$tmp/rc")" "$(grep -v '^ok' "$tmp/out")" "$(head -20 "$tmp/err")"

# 2. With no PATH it finds the lessons itself ($TELAR_LESSONSDIR here).
TELAR_LESSONSDIR=$top_srcdir/lessons run_telar "$tmp" check
[ "$(cat "$tmp/rc")" = 0 ] && grep -q '^ok .*race_conditions.md' "$tmp/out"
tap_check "telar check with no PATH checks the lessons directory" $? \
    "exit $(cat "$tmp/rc")" "$(head -5 "$tmp/err")"

# 3. The same lessons under plain python3: same exit status, and the same
#    output for the scenarios marked 'python: same'.
if oracle_ok; then
    run_telar "$tmp" check --python "$ORACLE_PYTHON" "$top_srcdir/lessons"
    [ "$(cat "$tmp/rc")" = 0 ] && ! grep -q '^FAIL' "$tmp/out"
    tap_check "telar check --python: the scenarios run under python3 too" $? \
        "exit $(cat "$tmp/rc")" "$(grep -v '^ok' "$tmp/out")" \
        "$(head -20 "$tmp/err")"
else
    tap_ok "telar check --python # SKIP no oracle interpreter"
fi

# 4. Each broken lesson: its exact message, exit 1, a FAIL line.
cd "$bad" || exit 99
for c in "${cases[@]}"; do
    name=${c%%|*} want=${c#*|}
    run_telar "$tmp" check --max-steps 100000 "$name"
    got=$(head -1 "$tmp/err")
    [ "$(cat "$tmp/rc")" = 1 ] && [ "$got" = "$want" ] &&
        grep -q "^FAIL $name" "$tmp/out"
    tap_check "$name: $want" $? "exit $(cat "$tmp/rc") (want 1)" \
        "got:  $got" "want: $want"
done

# 5. A lessons folder with a catalogue: a written lesson that is missing,
#    an order that does not match, a file marked todo.
run_telar "$tmp" check raiz
printf '%s\n' \
    "raiz/catalog.txt:3:1: error: expected the lesson raiz/01_Capitulo/primera.md, marked written: No such file or directory" \
    "raiz/01_Capitulo/segunda.md:3:8: error: expected 'order: 2', the lesson's place in its chapter in raiz/catalog.txt" \
    "raiz/catalog.txt:5:1: error: expected 'written' for 01_Capitulo/tercera: the lesson exists" \
    >"$tmp/want"
[ "$(cat "$tmp/rc")" = 1 ] && cmp -s "$tmp/want" "$tmp/err" &&
    [ "$(grep -c '^FAIL' "$tmp/out")" = 3 ]
tap_check "catalogue: missing, misplaced and unlisted lessons are named" $? \
    "exit $(cat "$tmp/rc")" "$(diff "$tmp/want" "$tmp/err")"

# 6. The whole folder of broken lessons: every one fails, nothing crashes.
run_telar "$tmp" check --max-steps 100000 .
n=$(ls ./*.md raiz/*/*.md | wc -l)
[ "$(cat "$tmp/rc")" = 1 ] && [ "$(grep -c '^FAIL' "$tmp/out")" -ge "$n" ] &&
    ! grep -q '^ok' "$tmp/out"
tap_check "telar check on the whole folder: $n lessons, all fail, exit 1" $? \
    "exit $(cat "$tmp/rc")" "$(grep -c '^FAIL' "$tmp/out") FAIL lines"

# 7. A usage error is exit 2.
run_telar "$tmp" check --timeout 0
[ "$(cat "$tmp/rc")" = 2 ] && grep -q 'timeout' "$tmp/err"
tap_check "a bad --timeout is a usage error, exit 2" $?
tap_end
