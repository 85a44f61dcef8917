#!/bin/sh
# run-integration.sh — runs the agent end to end on every case of
# tests/audit/*.case (format: tests/audit/README.md) and reports which
# failed. Usage: tests/run-integration.sh AGENT
set -u
agent=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(pwd)
fixtures=$src/build/fixtures
out=$src/build/tests/integration
rm -rf "$out"
mkdir -p "$out"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=""
ncase=0

subst() {
	sed -e "s#@FIXTURES@#$fixtures#g" -e "s#@SRC@#$src#g" \
	    -e "s#@TMP@#$tmp#g" -e "s#@AGENT@#$agent#g"
}

for case in tests/audit/*.case; do
	name=$(basename "$case" .case)
	tmp=$out/$name
	mkdir -p "$tmp"
	ncase=$((ncase + 1))
	args=$(grep '^args:' "$case" | head -n 1 | cut -d: -f2- | subst)
	user=$(grep '^user:' "$case" | head -n 1 | cut -d: -f2- | tr -d ' ')
	want=$(grep '^exit:' "$case" | head -n 1 | cut -d: -f2- | tr -d ' ')
	setup=$(grep '^setup:' "$case" | cut -d: -f2- | subst)
	if [ -n "$setup" ]; then
		(cd "$tmp" && eval "$setup") >"$tmp/setup.log" 2>&1 || {
			echo "không đạt / FAIL $name: setup"; cat "$tmp/setup.log"
			failed="$failed $name"; continue; }
	fi
	run=""
	if [ -n "$user" ]; then
		[ "$(id -u)" -eq 0 ] || { echo "bỏ qua / skip $name: needs root to switch user"; continue; }
		chmod o+rx "$tmp" "$out" 2>/dev/null
		run="setpriv --reuid=$user --regid=$(id -g "$user") --clear-groups --reset-env --"
	fi
	# shellcheck disable=SC2086
	(cd "$tmp" && eval "$run \"$agent\" $args") >"$tmp/stdout" 2>"$tmp/stderr"
	got=$?
	why=""
	if [ -n "$want" ] && [ "$got" != "$want" ]; then
		why="exit $got, want $want"
	fi
	while IFS= read -r line; do
		key=${line%%:*}
		val=$(printf '%s' "${line#*:}" | sed 's/^ //' | subst)
		case "$key" in
		status)
			st=${val%% *}
			for id in ${val#* }; do
				s=$(jq -r --arg id "$id" '.findings[] | select(.check == $id) | .status' "$tmp/stdout" 2>/dev/null)
				[ "$s" = "$st" ] || why="$why; $id is '${s:-missing}', want $st"
			done ;;
		jq)
			if [ ! -s "$tmp/stdout" ]; then
				why="$why; jq: empty stdout"
			else
				r=$(jq -e "$val" "$tmp/stdout" 2>&1) || why="$why; jq false: $val ($r)"
			fi ;;
		stdout-has)
			grep -qF -- "$val" "$tmp/stdout" || why="$why; stdout lacks '$val'" ;;
		stdout-lacks)
			! grep -qF -- "$val" "$tmp/stdout" || why="$why; stdout has '$val'" ;;
		stderr-has)
			grep -qF -- "$val" "$tmp/stderr" || why="$why; stderr lacks '$val'" ;;
		stdout-no-control)
			if tr -d '\n\t' <"$tmp/stdout" | LC_ALL=C grep -q '[[:cntrl:]]'; then
				why="$why; control characters on stdout"
			fi ;;
		file-has)
			f=${val%% *}; t=${val#* }
			grep -qF -- "$t" "$tmp/$f" 2>/dev/null || why="$why; $f lacks '$t'" ;;
		file-lacks)
			f=${val%% *}; t=${val#* }
			! grep -qF -- "$t" "$tmp/$f" 2>/dev/null || why="$why; $f has '$t'" ;;
		esac
	done <"$case"
	if grep -q 'AddressSanitizer\|runtime error:\|LeakSanitizer' "$tmp/stderr"; then
		why="$why; sanitizer report"
	fi
	if [ -n "$why" ]; then
		echo "không đạt / FAIL $name:${why#;}"
		head -c 3000 "$tmp/stderr"
		failed="$failed $name"
	else
		echo "đạt / pass: $name"
	fi
done
echo "$ncase integration cases"
if [ -n "$failed" ]; then
	echo "không đạt / failed:$failed" >&2
	exit 1
fi
