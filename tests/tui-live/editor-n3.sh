#!/bin/sh
# An "editor" for tests/tui-live.sh: two increments per thread become three.
sed -i 's/^N = 2$/N = 3/' "$1"
