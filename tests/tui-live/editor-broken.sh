#!/bin/sh
# An "editor" for tests/tui-live.sh that leaves a syntax error on line 6.
sed -i 's/^N = .*$/N = = 3/' "$1"
