# What the tests that drive the real binary in tmux share (tui.sh,
# tui-browser.sh, tui-live.sh), after tmux's regress scripts: a private
# tmux server, a plain shell at a fixed size, and waits that poll
# capture-pane until the text appears (or goes) or a deadline passes, so
# that nothing asserts on how long anything took.  Source it after lib.sh;
# it sets tmp (a folder removed at exit), and skips the whole test when
# there is no tmux.  start_env: more NAME='value' words for the shell.
# The shell finds the lessons in the source tree, which in a VPATH build
# (make distcheck) is not beside the binary.
tmux_bin=${TMUX_BIN:-$(command -v tmux || true)}
if [ -z "$tmux_bin" ] || [ ! -x "$tmux_bin" ]; then
    echo "1..0 # SKIP tmux not found"
    exit 0
fi
unset TMUX TMUX_PANE
TELAR_LESSONSDIR=${TELAR_LESSONSDIR:-$top_srcdir/lessons}
export TELAR_LESSONSDIR
tmp=$(mktemp -d)
sock=telar-t$$
tm() { "$tmux_bin" -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT

PROMPT='telar-test$ '
start_env=${start_env:-}
# start NAME COLS LINES: a session running a plain shell at that size.
start() {
    tm new-session -d -s "$1" -x "$2" -y "$3" \
        "env LANG=C.UTF-8 LC_ALL=C.UTF-8 PS1='$PROMPT' HOME='$tmp' \
         HISTFILE=/dev/null TELAR_LESSONSDIR='$TELAR_LESSONSDIR' \
         $start_env bash --norc --noprofile -i" ||
        return 1
    tm set-option -t "$1" -g status off >/dev/null
    tm resize-window -t "$1" -x "$2" -y "$3"
    wait_for "$1" "telar-test"
}
cap() { tm capture-pane -p -t "$1"; }
# wait_for SESSION ERE: poll until the pane matches, up to a deadline.
wait_for() {
    local i
    for i in $(seq 300); do
        cap "$1" | grep -q -E -- "$2" && return 0
        sleep 0.05
    done
    return 1
}
# wait_gone SESSION ERE: poll until the pane no longer matches.
wait_gone() {
    local i
    for i in $(seq 300); do
        cap "$1" | grep -q -E -- "$2" || return 0
        sleep 0.05
    done
    return 1
}
keys() { local s=$1; shift; tm send-keys -t "$s" "$@"; }
# show SESSION [LINES]: the screen's first lines, for a failure's report.
show() { cap "$1" | sed -n "1,${2:-60}p"; }
