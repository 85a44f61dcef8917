#!/bin/sh
# audit.sh — audits this computer with canhgac-agent and with Lynis
# (lynis audit system --quick), the usual peer, in the same run, and prints
# both wall times, both peak memories and the ratios.
# Targets (issue 2): the full audit under 1 s and under 10 MB peak RSS.
# Usage: bench/audit.sh [RUNS]   (make bench installs lynis and time)
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
agent=build/canhgac-agent
out=bench/out
mkdir -p "$out"
[ -x "$agent" ] || make -s all
command -v lynis >/dev/null || { echo "audit.sh: lynis missing (scripts/deps.sh bench)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "audit.sh: /usr/bin/time missing" >&2; exit 2; }

# median of N numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

measure() { # name, command...
	name=$1; shift
	: >"$out/$name.times"
	i=0
	while [ $i -lt "$runs" ]; do
		/usr/bin/time -f '%e %M' -o "$out/$name.one" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr" || true
		tail -n 1 "$out/$name.one" >>"$out/$name.times"
		i=$((i + 1))
	done
	t=$(cut -d' ' -f1 "$out/$name.times" | median)
	m=$(cut -d' ' -f2 "$out/$name.times" | median)
	echo "$t $m"
}

echo "canhgac-agent audit ($runs runs) ..."
set -- $(measure agent "$agent" audit --format json --output "$out/agent-report.json")
at=$1; am=$2
lruns=${LYNIS_RUNS:-1}
echo "lynis audit system --quick ($lruns run) ..."
runs=$lruns
set -- $(measure lynis lynis audit system --quick --no-colors --no-log)
lt=$1; lm=$2
checks=$(jq '.findings | length' "$out/agent-report.json" 2>/dev/null || echo '?')
awk -v at="$at" -v am="$am" -v lt="$lt" -v lm="$lm" -v n="$checks" 'BEGIN {
	printf "\n%-28s %12s %14s\n", "", "wall time (s)", "peak RSS (MB)"
	printf "%-28s %12.3f %14.1f   (%s checks)\n", "canhgac-agent audit", at, am/1024, n
	printf "%-28s %12.3f %14.1f\n", "lynis audit system --quick", lt, lm/1024
	printf "%-28s %11.1fx %13.1fx   (lynis / canhgac-agent)\n", "ratio", (at > 0 ? lt/at : 0), (am > 0 ? lm/am : 0)
	printf "targets: under 1 s -> %s, under 10 MB -> %s\n", (at < 1 ? "met" : "NOT met"), (am/1024 < 10 ? "met" : "NOT met")
}'
