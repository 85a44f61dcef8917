#!/bin/sh
# ingest.sh — the ingestion benchmark (issue 3): a fresh data directory, the
# -O2 canhgacd on a free loopback port, N simulated agents (bench/ingest.c)
# enrolled through the API and reporting over TLS; then the same agents,
# bodies and schedule against nginx with the same TLS setup, accepting the
# bodies into a static "200" (the peer: the cost of TLS and HTTP alone).
# Prints both, the ratios and the targets: p99 < 200 ms and server RSS
# < 300 MB at 10,000 agents every 5 minutes. bench/README.md explains.
# Usage: bench/ingest.sh [--agents N] [--period S] [--duration S]
#        [--concurrency K] [--no-prime] [--no-peer]
set -eu
cd "$(dirname "$0")/.."

agents=10000
period=300
duration=120
conc=128
prime=""
peer=1
while [ $# -gt 0 ]; do
	case $1 in
	--agents) agents=$2; shift 2 ;;
	--period) period=$2; shift 2 ;;
	--duration) duration=$2; shift 2 ;;
	--concurrency) conc=$2; shift 2 ;;
	--no-prime) prime=--no-prime; shift ;;
	--no-peer) peer=0; shift ;;
	*)
		echo "ingest.sh: tùy chọn không rõ — unknown option: $1" >&2
		sed -n 's/^# Usage: //p; s/^#        /  /p' "$0" >&2
		exit 2 ;;
	esac
done
for v in "$agents" "$period" "$duration" "$conc"; do
	case $v in
	''|*[!0-9]*)
		echo "ingest.sh: \"$v\" không phải số nguyên dương — is not a positive integer" >&2
		exit 2 ;;
	esac
done

out=$(pwd)/bench/out/ingest
gen=${INGEST_GEN:-build/bench/ingest}
for t in jq nginx pgrep; do
	command -v $t >/dev/null || {
		echo "ingest.sh: thiếu $t — $t is missing (scripts/deps.sh bench)" >&2
		exit 2
	}
done

echo "ingest.sh: dựng — building ..."
if [ -n "${INGEST_GEN:-}" ]; then
	make -s build/canhgacd build/canhgac build/canhgac-agent
else
	make -s build/canhgacd build/canhgac build/canhgac-agent build/bench/ingest
fi

spid=""
npid=""
# shellcheck disable=SC2317 # called from the trap
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	[ -n "$npid" ] && kill "$npid" 2>/dev/null && wait "$npid" 2>/dev/null
	true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$out"
mkdir -p "$out"

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

# The report every simulated agent sends: a real audit of the weak fixture.
tests/fixture.sh weak "$out/weak"
st=0
build/canhgac-agent audit --root "$out/weak" --config tests/audit/probe-off.conf \
    --format json >"$out/report.json" 2>"$out/audit.log" || st=$?
[ $st -le 1 ] || { echo "ingest.sh: canhgac-agent audit thất bại — failed ($st)" >&2; cat "$out/audit.log" >&2; exit 1; }
"$gen" --check --report "$out/report.json"

port=$(free_port)
build/canhgac init --data "$out/data" --listen "127.0.0.1:$port" \
    --generate-password >"$out/init.log" 2>&1 ||
    { cat "$out/init.log" >&2; exit 1; }
build/canhgacd --data "$out/data" >"$out/canhgacd.log" 2>&1 &
spid=$!
wait_listen "$port" "$spid" ||
    { echo "ingest.sh: canhgacd không khởi động — did not start" >&2; cat "$out/canhgacd.log" >&2; exit 1; }

# One token per 10,000 agents (the most uses a token may have).
tokens=""
left=$agents
while [ "$left" -gt 0 ]; do
	n=$left
	[ "$n" -gt 10000 ] && n=10000
	t=$(build/canhgac --data "$out/data" token create --unit "Phòng Thử tải" \
	    --uses "$n" --expires 1d --json | jq -r .token)
	tokens="$tokens --token $t"
	left=$((left - n))
done

common="--ca $out/data/ca/ca.pem --state $out/agents --report $out/report.json
--agents $agents --period $period --duration $duration --concurrency $conc $prime"
echo
echo "=== canhgacd (127.0.0.1:$port, pid $spid) ==="
# shellcheck disable=SC2086
"$gen" --url "https://127.0.0.1:$port" $common $tokens --pid "$spid" \
    --label canhgacd --json "$out/canhgacd.json" | tee "$out/canhgacd.txt"
alive=1
kill -0 "$spid" 2>/dev/null || alive=0
hosts=$(build/canhgac --data "$out/data" hosts --json 2>/dev/null | jq length 2>/dev/null || echo '?')
echo "canhgac hosts: $hosts máy trong kho — hosts in the store"
kill "$spid" 2>/dev/null || true
wait "$spid" 2>/dev/null || true
spid=""

if [ "$peer" -eq 1 ]; then
	pport=$(free_port)
	ng=$out/nginx
	mkdir -p "$ng/tmp" "$ng/www"
	echo '{"status":"stored","reports":1,"skipped":0}' >"$ng/www/ok.json"
	cat >"$ng/nginx.conf" <<EOF
# The peer: the same certificate, CA and TLS versions as canhgacd, a client
# certificate requested (optional, as canhgacd does), every body read whole
# and written to a file (client_body_in_file_only), then a static 200.
user $(id -un) $(id -gn);
worker_processes 2;
pid $ng/nginx.pid;
error_log $ng/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $ng/tmp/body;
	proxy_temp_path $ng/tmp/proxy;
	fastcgi_temp_path $ng/tmp/fastcgi;
	uwsgi_temp_path $ng/tmp/uwsgi;
	scgi_temp_path $ng/tmp/scgi;
	server {
		listen 127.0.0.1:$pport ssl;
		ssl_certificate $out/data/tls/server.pem;
		ssl_certificate_key $out/data/tls/server.key;
		ssl_protocols TLSv1.2 TLSv1.3;
		ssl_client_certificate $out/data/ca/ca.pem;
		ssl_verify_client optional;
		ssl_session_tickets off;
		root $ng/www;
		client_max_body_size 8m;
		location = /api/v1/batches {
			# mirror reads the whole body before the content phase
			client_body_in_file_only clean;
			mirror /sink;
			mirror_request_body on;
			default_type application/json;
			try_files /ok.json =500;
			# the static module refuses POST: answer 200 anyway
			error_page 405 =200 /ok.json;
		}
		location = /sink { internal; return 204; }
	}
}
EOF
	nginx -t -c "$ng/nginx.conf" >"$ng/test.log" 2>&1 ||
	    { cat "$ng/test.log" >&2; exit 1; }
	nginx -c "$ng/nginx.conf" >"$ng/nginx.out" 2>&1 &
	npid=$!
	wait_listen "$pport" "$npid" ||
	    { echo "ingest.sh: nginx không khởi động — did not start" >&2; cat "$ng/error.log" >&2; exit 1; }
	pids="--pid $npid"
	for w in $(pgrep -P "$npid"); do
		pids="$pids --pid $w"
	done
	echo
	echo "=== nginx $(nginx -v 2>&1 | sed 's/.*\///') (127.0.0.1:$pport, $pids) ==="
	# shellcheck disable=SC2086
	"$gen" --url "https://127.0.0.1:$pport" $common $pids --label nginx \
	    --json "$out/nginx.json" | tee "$out/nginx.txt"
	kill "$npid" 2>/dev/null || true
	wait "$npid" 2>/dev/null || true
	npid=""
fi

# The comparison, from the measured (paced) phase of each run; RSS is the
# peak over the whole run (VmHWM, summed over nginx's processes).
echo
summary() { # file
	jq -r '[.phases.run.latency_ms.p99, .phases.run.latency_ms.p50,
	    .phases.run.server.hwm_mb, .phases.run.server.cpu_pct,
	    .phases.run.reports_per_s, .phases.run.findings_per_s,
	    .phases.run.errors, (.phases.prime.reports_per_s // 0),
	    (.phases.run.loadavg_1m // -1)] | @tsv' "$1"
}
if ! jq -e .phases.run "$out/canhgacd.json" >/dev/null 2>&1; then
	echo "ingest.sh: phép đo không hoàn tất — the measurement did not complete" >&2
	exit 1
fi
summary "$out/canhgacd.json" >"$out/ours.tsv"
if [ "$peer" -eq 1 ] && [ -s "$out/nginx.json" ]; then
	summary "$out/nginx.json" >"$out/peer.tsv"
else
	printf '0\t0\t0\t0\t0\t0\t0\t0\t-1\n' >"$out/peer.tsv"
fi
met=0
paste "$out/ours.tsv" "$out/peer.tsv" | awk -F'\t' -v agents="$agents" \
    -v period="$period" -v duration="$duration" -v alive="$alive" \
    -v peer="$peer" -v hosts="$hosts" '
function ratio(a, b) { return b > 0 ? sprintf("%.1fx", a / b) : "—" }
{
	printf "%d agent, mỗi — every %s s, đo — measured %s s\n", agents,
	    period, duration
	# (headers by hand: awk pads bytes, not letters)
	print "                                  p50 ms    p99 ms    RSS đỉnh MB      CPU %    báo cáo/s   phát hiện/s    lỗi"
	print "                                                      peak RSS MB               reports/s    findings/s errors"
	printf "%-30s %9.1f %9.1f %14.1f %10.0f %12.1f %13.0f %7d\n", "canhgacd",
	    $2, $1, $3, $4, $5, $6, $7
	if (peer == 1) {
		printf "%-30s %9.1f %9.1f %14.1f %10.0f %12.1f %13.0f %7d\n",
		    "nginx (TLS + body to file)", $11, $10, $12, $13, $14, $15, $16
		printf "%-30s %9s %9s %14s %10s\n", "canhgacd / nginx",
		    ratio($2, $11), ratio($1, $10), ratio($3, $12), ratio($4, $13)
	}
	if ($8 > 0)
		printf "báo cáo đầu tiên, nhanh nhất có thể — first reports, as fast as taken (prime): canhgacd %.1f/s%s\n",
		    $8, (peer == 1 ? sprintf(", nginx %.1f/s", $17) : "")
	printf "tải máy cuối lúc đo — load average at the end of the run: %.1f%s (2 lõi — cores)\n",
	    $9, (peer == 1 ? sprintf(" / nginx %.1f", $18) : "")
	ok_p99 = ($1 < 200 && $7 == 0 && alive == 1)
	ok_rss = ($3 < 300 && alive == 1)
	note = ""
	if (agents != 10000 || period != 300)
		note = "   (mục tiêu là cho 10000 agent mỗi 300 s — the targets are for 10000 agents every 300 s)"
	printf "mục tiêu — targets: p99 < 200 ms -> %s, RSS < 300 MB -> %s%s\n",
	    (ok_p99 ? "đạt — met" : "KHÔNG đạt — NOT met"),
	    (ok_rss ? "đạt — met" : "KHÔNG đạt — NOT met"), note
	if (alive != 1)
		print "CẢNH BÁO: canhgacd đã dừng trong lúc đo — WARNING: canhgacd died during the run"
	if (hosts != "?" && hosts + 0 != agents)
		printf "CẢNH BÁO: kho có %s máy, không phải %d — WARNING: the store holds %s hosts, not %d\n", hosts, agents, hosts, agents
	exit !(ok_p99 && ok_rss)
}' >"$out/summary.txt" || met=1
cat "$out/summary.txt"
echo "ingest.sh: kết quả trong — results in $out"
exit $met
