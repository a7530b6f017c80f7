#!/bin/bash
# Differential tests: every tests/oracle/*.py must give the same stdout, stderr
# and exit status under `telar run --headless` as under the oracle CPython.
#
# Environment (set by automake's AM_TESTS_ENVIRONMENT):
#   TELAR          path of the built telar binary (default: ./telar)
#   ORACLE_PYTHON  the CPython whose version telar embeds (empty: skip)
#   srcdir         top source directory (used to find tests/oracle)
#   ORACLE_DIR     directory of the programs (default tests/oracle); a relative
#                  path is looked up under $srcdir, then the top of the tree
#                  (tests/oracle-mp.sh sets tests/oracle-mp)
# Usage: tests/oracle.sh [SUBSTRING]   run only programs whose name contains it.
# Output: TAP. A failing case is followed by a "# " unified diff (40 lines).
#
# Both sides run the same way: cwd = the program's directory, stdin from
# /dev/null, stdout into a pipe, every PYTHON* variable removed (plus
# PYTHONHASHSEED=0), LC_ALL=C.UTF-8, and `timeout 60`.

filter=${1-}
timeout_s=${ORACLE_TIMEOUT:-60}

sub=${ORACLE_DIR:-tests/oracle}
case $sub in
/*) dir=$sub ;;
*)  if [ -n "${srcdir-}" ] && [ -d "$srcdir/$sub" ]; then
        dir=$srcdir/$sub
    else
        dir=$(dirname "$0")/../$sub
    fi ;;
esac
dir=$(cd "$dir" 2>/dev/null && pwd) || { echo "Bail out! no $sub directory"; exit 1; }

telar=${TELAR:-./telar}
case $telar in
*/*) telar=$(cd "$(dirname "$telar")" 2>/dev/null && pwd)/$(basename "$telar") ;;
esac
if [ ! -x "$telar" ]; then
    echo "Bail out! TELAR ($telar) is not an executable"
    exit 1
fi

skip() {
    echo "1..0 # SKIP no oracle interpreter matching the embedded libpython ($1)"
    exit 0
}

# Version checks: the oracle must be exactly the Python that telar embeds.
py=${ORACLE_PYTHON-}
[ -n "$py" ] || skip "ORACLE_PYTHON is empty"
case $py in
*/*) ;;
*) py=$(command -v "$py") || skip "ORACLE_PYTHON=${ORACLE_PYTHON} not found" ;;
esac
[ -x "$py" ] || skip "ORACLE_PYTHON=$py is not executable"
oracle_version=$(env -u PYTHONHOME -u PYTHONPATH "$py" -c 'import sys;print(sys.version_info[:3])' 2>/dev/null |
    sed -n 's/^(\([0-9]*\), \([0-9]*\), \([0-9]*\))$/\1.\2.\3/p')
[ -n "$oracle_version" ] || skip "cannot get the version of $py"
telar_version=$("$telar" --version 2>/dev/null |
    sed -n 's/.*Python \([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' | head -n 1)
[ -n "$telar_version" ] || skip "telar --version names no embedded Python; oracle $py is $oracle_version"
[ "$oracle_version" = "$telar_version" ] ||
    skip "telar embeds Python $telar_version, $py is $oracle_version"

# The environment both sides run in.
env_args=()
for v in $(env | sed -n 's/^\(PYTHON[A-Za-z0-9_]*\)=.*/\1/p'); do
    env_args+=(-u "$v")
done
env_args+=(PYTHONHASHSEED=0 LC_ALL=C.UTF-8)

tests=()
while IFS= read -r f; do
    name=$(basename "$f")
    case $name in *"$filter"*) tests+=("$name") ;; esac
done < <(ls "$dir" | LC_ALL=C sort | grep '\.py$')

echo "1..${#tests[@]}"
[ ${#tests[@]} -gt 0 ] || exit 0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/telar-oracle.XXXXXX") || { echo "Bail out! mktemp"; exit 1; }
trap 'rm -rf "$tmp"' EXIT

# run SIDE CMD... : run CMD in the test directory; leaves SIDE.out, SIDE.err, SIDE.rc.
run() {
    local side=$1
    shift
    (
        cd "$dir" || exit 1
        timeout "$timeout_s" env "${env_args[@]}" "$@" </dev/null 2>"$tmp/$side.err" |
            cat >"$tmp/$side.out"
        echo "${PIPESTATUS[0]}" >"$tmp/$side.rc"
    )
}

n=0
failed=0
for name in "${tests[@]}"; do
    n=$((n + 1))
    run oracle "$py" "$name"
    run telar "$telar" run --headless "$name"
    : >"$tmp/diff"
    for part in out err rc; do
        if ! cmp -s "$tmp/oracle.$part" "$tmp/telar.$part"; then
            case $part in out) label=stdout ;; err) label=stderr ;; rc) label="exit status" ;; esac
            diff -u --label "python3 $label" --label "telar $label" \
                "$tmp/oracle.$part" "$tmp/telar.$part" >>"$tmp/diff"
        fi
    done
    for side in oracle telar; do
        if [ "$(cat "$tmp/$side.rc")" = 124 ]; then
            echo "$side timed out after ${timeout_s}s" >>"$tmp/diff"
        fi
    done
    if [ -s "$tmp/diff" ]; then
        failed=$((failed + 1))
        echo "not ok $n - $name"
        head -n 40 "$tmp/diff" | sed 's/^/# /'
    else
        echo "ok $n - $name"
    fi
done
exit 0
