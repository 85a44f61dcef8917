#!/bin/sh
# run-unit.sh — runs every cmocka test program given, with the fixture
# trees of build/fixtures, and reports which failed.
set -u
CG_FIXTURES=$(pwd)/build/fixtures
CG_SOURCE=$(pwd)
export CG_FIXTURES CG_SOURCE
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=""
for t in "$@"; do
	if ! "$t" >"$t.log" 2>&1; then
		cat "$t.log"
		failed="$failed ${t##*/}"
	else
		echo "đạt / pass: ${t##*/} ($(grep -c '^\[       OK \]' "$t.log") cases)"
	fi
done
if [ -n "$failed" ]; then
	echo "không đạt / failed:$failed" >&2
	exit 1
fi
