#!/bin/bash
# Differential tests for multiprocessing: every tests/oracle-mp/*.py must give
# the same stdout, stderr and exit status under `telar run --headless` as under
# the oracle CPython. Same runner, environment and TAP output as tests/oracle.sh.
# Usage: tests/oracle-mp.sh [SUBSTRING]   run only programs whose name contains it.
ORACLE_DIR=tests/oracle-mp
export ORACLE_DIR
exec bash "$(dirname "$0")/oracle.sh" "$@"
