# Shared helpers for telar's shell tests (TAP).  Source it; it expects
# $TELAR (the binary under test) and $top_srcdir from the harness.
: "${top_srcdir:=$(dirname "$0")/..}"
top_srcdir=$(cd "$top_srcdir" && pwd)
: "${TELAR:=$top_srcdir/telar}"
tap_n=0
tap_failed=0

tap_plan() { echo "1..$1"; }
tap_ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
tap_fail() {
    tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
    echo "not ok $tap_n - $1"
    shift
    for line in "$@"; do printf '%s\n' "$line" | sed 's/^/# /'; done
}
tap_check() {   # tap_check NAME CONDITION-STATUS [DIAGNOSTIC...]
    local name=$1 st=$2; shift 2
    if [ "$st" -eq 0 ]; then tap_ok "$name"; else tap_fail "$name" "$@"; fi
}
tap_end() { [ "$tap_failed" -eq 0 ]; }

# run_telar OUTDIR ARGS...: stdout, stderr and status into OUTDIR/{out,err,rc}.
run_telar() {
    local dir=$1; shift
    env -u PYTHONUNBUFFERED -u PYTHONDONTWRITEBYTECODE \
        timeout 120 "$TELAR" "$@" >"$dir/out" 2>"$dir/err"
    echo $? >"$dir/rc"
}

# run_oracle OUTDIR FILE ARGS...: the matching CPython, stdout to a pipe.
run_oracle() {
    local dir=$1 file=$2; shift 2
    ( cd "$(dirname "$file")" &&
      env -u PYTHONUNBUFFERED -u PYTHONDONTWRITEBYTECODE -u PYTHONPATH \
          -u PYTHONHOME PYTHONHASHSEED=0 \
          timeout 60 "$ORACLE_PYTHON" "$file" "$@" 2>"$dir/err" | cat >"$dir/out";
      echo "${PIPESTATUS[0]}" >"$dir/rc" )
}

# oracle_ok: is the oracle interpreter the one telar embeds?
oracle_ok() {
    [ -n "${ORACLE_PYTHON:-}" ] && [ -x "$ORACLE_PYTHON" ] || return 1
    local want have
    want=$("$TELAR" --version | sed -n 's/.*Python \([0-9.]*\).*/\1/p')
    have=$("$ORACLE_PYTHON" -c 'import platform; print(platform.python_version())')
    [ "$want" = "$have" ]
}

# The Spanish catalogue: the build tree's, or in a VPATH build (make
# distcheck) the one that ships in the source tree.
es_gmo() {
    local g=${TELAR_GMO_DIR:-$top_srcdir/po}/es.gmo
    [ -f "$g" ] || g=$top_srcdir/po/es.gmo
    echo "$g"
}
