#!/bin/sh
# run-fuzz.sh — replays each libFuzzer harness over its seed corpus
# (fuzz/corpus/NAME) and then fuzzes it for SECONDS. New inputs go to
# build/fuzz/corpus/NAME, never into the repository; a crash fails the run
# and its input is kept in build/fuzz/crashes/.
set -u
secs=$1; shift
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p build/fuzz/crashes
failed=""
for h in "$@"; do
	n=${h##*/}
	seeds=fuzz/corpus/${n#fuzz_}
	work=build/fuzz/corpus/${n#fuzz_}
	mkdir -p "$work" "$seeds"
	if ! "$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
	    -artifact_prefix=build/fuzz/crashes/"$n"- -print_final_stats=0 \
	    "$work" "$seeds" >build/fuzz/"$n".log 2>&1; then
		tail -n 40 build/fuzz/"$n".log
		failed="$failed $n"
	else
		echo "đạt / pass: $n ($(grep -o 'DONE.*' build/fuzz/$n.log | head -1))"
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz không đạt / failed:$failed" >&2
	exit 1
fi
