#!/bin/sh
# Print the closing line of "make check": "N passed, N failed, N skipped",
# counted from automake's .trs files (one :test-result: line per test case).
passed=0 failed=0 skipped=0
for trs in "$@"; do
    [ -f "$trs" ] || continue
    while IFS= read -r line; do
        case $line in
        ":test-result: PASS"*|":test-result: XFAIL"*) passed=$((passed + 1)) ;;
        ":test-result: SKIP"*) skipped=$((skipped + 1)) ;;
        ":test-result: "*) failed=$((failed + 1)) ;;
        esac
    done < "$trs"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
