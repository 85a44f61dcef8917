#!/bin/sh
# console.sh — the web console benchmark (issue 4): a store filled with a
# ward of 5,000 hosts and 1.5 million findings (bench/console-fill.sql),
# the -O2 canhgacd on a free loopback port, a viewer signed in, and wrk
# against each reading page, then against a static file served by the same
# server (the baseline: TLS, HTTP and the session check alone). Prints
# p50/p99 per page, the ratio to the baseline and PASS/FAIL against the
# target: every page under 50 ms p99. bench/README.md explains.
# Usage: bench/console.sh [--hosts N] [--findings N] [--duration S]
#        [--connections C] [--threads T] [--keep]
# CONSOLE_BIN=DIR takes canhgacd, canhgac (and canhgac-agent, needed for
# a new fill only; else build/'s) from DIR instead of building them;
# CONSOLE_OUT=DIR keeps the store and results there instead of
# bench/out/console (to compare two builds, each on its own copy).
set -eu
cd "$(dirname "$0")/.."

hosts=5000
per_host=300
duration=10
conns=1
threads=1
keep=0
target_ms=50
while [ $# -gt 0 ]; do
	case $1 in
	--hosts) hosts=$2; shift 2 ;;
	--findings) per_host=$2; shift 2 ;;
	--duration) duration=$2; shift 2 ;;
	--connections) conns=$2; shift 2 ;;
	--threads) threads=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	*)
		echo "console.sh: tùy chọn không rõ — unknown option: $1" >&2
		sed -n 's/^# Usage: //p; s/^#        /  /p' "$0" >&2
		exit 2 ;;
	esac
done
for v in "$hosts" "$per_host" "$duration" "$conns" "$threads"; do
	case $v in
	''|*[!0-9]*|0)
		echo "console.sh: \"$v\" không phải số nguyên dương — is not a positive integer" >&2
		exit 2 ;;
	esac
done
if [ "$hosts" -gt 100000 ] || [ "$per_host" -gt 2000 ]; then
	echo "console.sh: tối đa 100000 máy, 2000 phát hiện mỗi máy — at most 100000 hosts, 2000 findings a host" >&2
	exit 2
fi

out=${CONSOLE_OUT:-$(pwd)/bench/out/console}
data=$out/data
db=$data/store.db
for t in wrk curl sqlite3 jq; do
	command -v $t >/dev/null || {
		echo "console.sh: thiếu $t — $t is missing (scripts/deps.sh bench)" >&2
		exit 2
	}
done

bin=build
agent=build/canhgac-agent
if [ -n "${CONSOLE_BIN:-}" ]; then
	bin=$CONSOLE_BIN
	[ -x "$bin/canhgac-agent" ] && agent=$bin/canhgac-agent
	for b in "$bin/canhgacd" "$bin/canhgac" "$agent"; do
		[ -x "$b" ] || { echo "console.sh: không có $b — no $b" >&2; exit 2; }
	done
else
	echo "console.sh: dựng — building ..."
	make -s build/canhgacd build/canhgac build/canhgac-agent
fi

spid=""
# shellcheck disable=SC2317 # called from the trap
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port nobody listens on (state 0A in /proc/net/tcp*).
listening() {
	hex=$(printf '%04X' "$1")
	awk -v h=":$hex" '$2 ~ h"$" && $4 == "0A" { f = 1 } END { exit !f }' \
	    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
free_port() {
	while :; do
		p=$(( $(od -An -N2 -tu2 /dev/urandom) % 30000 + 20000 ))
		listening "$p" || { echo "$p"; return; }
	done
}
wait_listen() { # port pid
	i=0
	while [ $i -lt 100 ]; do
		listening "$1" && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

port=$(free_port)
filled=$(sqlite3 "$db" "SELECT count(*) || '/' || (SELECT count(*) FROM findings) FROM hosts" 2>/dev/null || echo none)
if [ "$keep" -eq 1 ] && [ "$filled" = "$hosts/$((hosts * per_host))" ]; then
	echo "console.sh: dùng lại kho đã nạp — reusing the filled store $db"
	sed -i "s/^listen .*/listen 127.0.0.1:$port/" "$data/canhgacd.conf"
	rm -f "$out/canhgacd.log"
else
	rm -rf "$out"
	mkdir -p "$out"
	# The checks, evidence and facts of a real report: the weak fixture
	# audited by the real agent (as bench/ingest.sh does).
	tests/fixture.sh weak "$out/weak" >"$out/fixture.log" 2>&1 ||
	    { cat "$out/fixture.log" >&2; exit 1; }
	st=0
	"$agent" audit --root "$out/weak" \
	    --config tests/audit/probe-off.conf --format json \
	    >"$out/report.json" 2>"$out/audit.log" || st=$?
	[ $st -le 1 ] || { echo "console.sh: canhgac-agent audit thất bại — failed ($st)" >&2; cat "$out/audit.log" >&2; exit 1; }
	"$bin/canhgac" init --data "$data" --listen "127.0.0.1:$port" \
	    --generate-password >"$out/init.log" 2>&1 ||
	    { cat "$out/init.log" >&2; exit 1; }
	n=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM hosts) + (SELECT count(*) FROM units)")
	[ "$n" -eq 0 ] || { echo "console.sh: kho mới không trống — the new store is not empty: $db" >&2; exit 1; }
	echo "console.sh: nạp $hosts máy × $per_host phát hiện — filling $hosts hosts × $per_host findings ..."
	t0=$(date +%s)
	sqlite3 -bail "$db" >"$out/fill.log" 2>&1 <<EOF ||
CREATE TEMP TABLE fill_param AS SELECT readfile('$out/report.json') AS report,
    $t0 AS now, $hosts AS hosts, $per_host AS per_host;
.read bench/console-fill.sql
EOF
	    { echo "console.sh: nạp kho thất bại — filling the store failed" >&2; cat "$out/fill.log" >&2; exit 1; }
	echo "console.sh: nạp xong trong — filled in $(( $(date +%s) - t0 )) s, $(du -m "$db" | cut -f1) MB"
fi

# A viewer (the chairman: read-only, every unit; no second factor).
pw=$out/viewer.pw
od -An -N18 -tx1 /dev/urandom | tr -d ' \n' >"$pw"
chmod 600 "$pw"
if ! sqlite3 "$db" "SELECT 1 FROM users WHERE login = 'bench-viewer'" | grep -q 1; then
	"$bin/canhgac" --data "$data" user add --login bench-viewer --role viewer \
	    --name "Chủ tịch (đo tải)" --password-file "$pw" >"$out/user.log" 2>&1 ||
	    { cat "$out/user.log" >&2; exit 1; }
else
	"$bin/canhgac" --data "$data" user passwd bench-viewer --password-file "$pw" \
	    >"$out/user.log" 2>&1 || { cat "$out/user.log" >&2; exit 1; }
fi

# The pages' subjects: the largest unit; the host with facts and the most
# open findings; the check failing on the most hosts; one open finding of
# that host, with a workflow history when there is one.
unit=$(sqlite3 "$db" "SELECT unit_id FROM hosts GROUP BY unit_id ORDER BY count(*) DESC, unit_id LIMIT 1")
host=$(sqlite3 "$db" "SELECT id FROM hosts WHERE hid IN (SELECT hid FROM host_facts) ORDER BY open_findings DESC, hid LIMIT 1")
check=$(sqlite3 "$db" "SELECT check_id FROM findings WHERE resolved = 0 GROUP BY check_id ORDER BY count(*) DESC, check_id LIMIT 1")
fcheck=$(sqlite3 "$db" "SELECT f.check_id FROM findings f JOIN hosts h ON h.hid = f.hid LEFT JOIN finding_workflow w ON w.hid = f.hid AND w.check_id = f.check_id WHERE h.id = '$host' AND f.resolved = 0 ORDER BY w.hid IS NULL, f.check_id LIMIT 1")
q=ketoan
for v in "$unit" "$host" "$check" "$fcheck"; do
	[ -n "$v" ] || { echo "console.sh: kho trống — the store is empty: $db" >&2; exit 1; }
done

"$bin/canhgacd" --data "$data" >>"$out/canhgacd.log" 2>&1 &
spid=$!
wait_listen "$port" "$spid" ||
    { echo "console.sh: canhgacd không khởi động — did not start" >&2; cat "$out/canhgacd.log" >&2; exit 1; }
base=https://127.0.0.1:$port
ca=$data/ca/ca.pem

# Sign in as a browser does: the form's CSRF token and pre-session cookie,
# then the POST; keep the cg_session cookie.
jar=$out/cookies.txt
rm -f "$jar"
csrf=$(curl -sS --cacert "$ca" -c "$jar" -b "$jar" "$base/dang-nhap" |
    sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
[ -n "$csrf" ] || { echo "console.sh: không thấy mã CSRF ở $base/dang-nhap — no CSRF token at $base/dang-nhap" >&2; exit 1; }
code=$(curl -sS --cacert "$ca" -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' \
    --data-urlencode "login=bench-viewer" --data-urlencode "password=$(cat "$pw")" \
    --data-urlencode "csrf=$csrf" --data-urlencode "next=" "$base/dang-nhap")
sid=$(awk '$6 == "cg_session" && $7 != "" { print $7 }' "$jar" | tail -n 1)
[ -n "$sid" ] || { echo "console.sh: đăng nhập thất bại (HTTP $code) — sign-in failed (HTTP $code)" >&2; exit 1; }
cookie="Cookie: cg_session=$sid"

enc() { jq -rn --arg v "$1" '$v | @uri'; }
# label (the first is the baseline) and path
pages="static /static/console.css
overview /tong-quan
unit /don-vi/$unit
hosts /may
search /may?q=$q
host /may/$(enc "$host")
checks /tieu-chi
check /tieu-chi/$(enc "$check")
finding /may/$(enc "$host")/phat-hien/$(enc "$fcheck")"

# wrk's latency ("850.00us", "1.20ms", "2.00s") in milliseconds.
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000
		else if (v ~ /ms$/) n += 0
		else if (v ~ /m$/) n *= 60000
		else if (v ~ /s$/) n *= 1000
		printf "%.2f", n
	}'
}

load=$(cut -d' ' -f1 /proc/loadavg)
echo
echo "=== canhgacd (127.0.0.1:$port, pid $spid): $hosts máy — hosts, $((hosts * per_host)) phát hiện — findings; wrk -t$threads -c$conns -d${duration}s; tải — load $load ==="
: >"$out/results.tsv"
printf '%s\n' "$pages" >"$out/pages.txt"
while read -r label p; do
	# each page must answer 200 itself, not a redirect to the sign-in
	got=$(curl -sS --cacert "$ca" -H "$cookie" -o "$out/$label.html" \
	    -w '%{http_code} %{size_download}' "$base$p")
	code=${got% *}
	size=${got#* }
	if [ "$code" != 200 ]; then
		echo "console.sh: $p trả HTTP $code — answered HTTP $code" >&2
		printf '%s\t%s\t0\t0\t0\t0\t%s\t%s\n' "$label" "$code" "$size" \
		    "$p" >>"$out/results.tsv"
		continue
	fi
	w=$out/wrk-$label.txt
	wrk -t"$threads" -c"$conns" -d"${duration}s" --latency -H "$cookie" \
	    "$base$p" >"$w" 2>&1 </dev/null || true
	p50=$(awk '$1 == "50%" { print $2 }' "$w")
	p99=$(awk '$1 == "99%" { print $2 }' "$w")
	rps=$(awk '$1 == "Requests/sec:" { print $2 }' "$w")
	bad=$(awk '/Non-2xx or 3xx responses:/ { print $NF }
	    /Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' \
	    "$w" | awk '{ s += $1 } END { print s + 0 }')
	if [ -z "$p50" ] || [ -z "$p99" ]; then
		echo "console.sh: wrk thất bại ở $p — wrk failed on $p" >&2
		cat "$w" >&2
		exit 1
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$code" \
	    "$(to_ms "$p50")" "$(to_ms "$p99")" "${rps:-0}" "$bad" "$size" \
	    "$p" >>"$out/results.tsv"
done <"$out/pages.txt"
alive=1
kill -0 "$spid" 2>/dev/null || alive=0
kill "$spid" 2>/dev/null || true
wait "$spid" 2>/dev/null || true
spid=""

# The first row is the baseline. (Headers by hand: awk pads bytes, not
# letters.)
awk -F'\t' -v target="$target_ms" -v alive="$alive" '
function ratio(a, b) { return b > 0 ? sprintf("%.1fx", a / b) : "-" }
NR == 1 { b50 = $3; b99 = $4 }
{
	if (NR == 1) {
		print "trang      p50 ms   p99 ms  p50/tĩnh  p99/tĩnh   yêu cầu/s      KB  lỗi           đường dẫn"
		print "page                        p50/static p99/static requests/s          errors        path"
	}
	ok = ($2 == 200 && $6 == 0 && $4 < target)
	verdict = ok ? "PASS" : "FAIL"
	if ($2 != 200)
		verdict = "FAIL(" $2 ")"
	if (NR > 1 && !ok)
		fail = 1
	printf "%-9s %8.2f %8.2f %9s %9s %11.1f %7.1f %4d  %-9s %s\n", $1,
	    $3, $4, ratio($3, b50), ratio($4, b99), $5, $7 / 1024, $6,
	    (NR == 1 ? "(tĩnh — static)" : verdict), $8
}
END {
	printf "mục tiêu — target: p99 < %d ms mỗi trang — every page -> %s\n",
	    target, (fail ? "KHÔNG đạt — NOT met" : "đạt — met")
	if (alive != 1)
		print "CẢNH BÁO: canhgacd đã dừng trong lúc đo — WARNING: canhgacd died during the run"
}' "$out/results.tsv" >"$out/summary.txt"
cat "$out/summary.txt"
met=0
grep -q "KHÔNG đạt\|CẢNH BÁO" "$out/summary.txt" && met=1
echo "console.sh: kết quả trong — results in $out"
exit $met
