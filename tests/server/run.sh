#!/bin/sh
# run.sh — runs the server's end-to-end and fault tests, every
# tests/server/NNN-name.sh in order, and reports which failed. Each test
# gets its own scratch directory build/tests/server/NNN-name, kept with its
# logs (test.log, canhgacd.log, aN/agent.log) as artefacts; a test also
# fails on any sanitizer report in them. Exit status 77 means skipped.
# Usage: tests/server/run.sh [CANHGACD CANHGAC CANHGAC-AGENT]
#   (default build/asan/...; CG_TESTS="010 050" runs only those)
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
cd "$src" || exit 2

abspath() {
	(cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")")
}
CGD=$(abspath "${1:-build/asan/canhgacd}")
CG=$(abspath "${2:-build/asan/canhgac}")
CGA=$(abspath "${3:-build/asan/canhgac-agent}")
CG_FIXTURES=$src/build/fixtures
export CGD CG CGA CG_FIXTURES
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS UBSAN_OPTIONS

out=$src/build/tests/server
mkdir -p "$out"
failed=""
n=0
t0=$(date +%s)
for t in tests/server/[0-9]*.sh; do
	name=$(basename "$t" .sh)
	if [ -n "${CG_TESTS:-}" ]; then
		case " $CG_TESTS " in
		*" ${name%%-*} "* | *" $name "*) ;;
		*) continue ;;
		esac
	fi
	n=$((n + 1))
	dir=$out/$name
	rm -rf "$dir"
	mkdir -p "$dir"
	start=$(date +%s)
	# The bound keeps a hung program from hanging make check; the test's
	# trap kills what it started when timeout sends SIGTERM. A test that
	# needs longer says so on a line "# timeout: SECONDS".
	limit=$(sed -n 's/^# timeout: *\([0-9][0-9]*\).*/\1/p' "$t" | head -n 1)
	CG_TEST_DIR=$dir timeout -k 10 "${limit:-300}" sh "$t" \
	    >"$out/$name.log" 2>&1
	rc=$?
	mv "$out/$name.log" "$dir/test.log"
	secs=$(($(date +%s) - start))
	# Whatever survived (a test that did not clean up) is killed by id.
	if [ -s "$dir/pids" ]; then
		while read -r p; do
			st=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | cut -c1)
			if [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ] &&
			    kill -KILL "$p" 2>/dev/null; then
				echo "không đạt / FAIL $name: process $p left running"
				rc=1
			fi
		done <"$dir/pids"
	fi
	san=$(grep -rl --include='*.log' \
	    'AddressSanitizer\|runtime error:\|LeakSanitizer' "$dir" 2>/dev/null |
	    head -n 3 | tr '\n' ' ')
	if [ "$rc" -eq 77 ] && [ -z "$san" ]; then
		echo "bỏ qua / skip: $name ($(tail -n 1 "$dir/test.log"))"
		continue
	fi
	if [ "$rc" -ne 0 ] || [ -n "$san" ]; then
		why="exit $rc"
		[ "$rc" -eq 124 ] && why="timeout"
		[ -n "$san" ] && why="$why; sanitizer report in $san"
		echo "không đạt / FAIL $name ($why, ${secs}s; logs: $dir)"
		tail -n 25 "$dir/test.log"
		for f in $san; do
			grep -m 1 -A 30 'AddressSanitizer\|runtime error:\|LeakSanitizer' "$f"
		done
		failed="$failed $name"
	else
		echo "đạt / pass: $name (${secs}s)"
	fi
done
echo "$n server tests ($(($(date +%s) - t0))s)"
if [ -n "$failed" ]; then
	echo "không đạt / failed:$failed" >&2
	exit 1
fi
