#!/bin/sh
# sites.sh — the portal monitor's speed (issue 6): the test ward portal
# (build/tests/portal --pages N) serves N pages on 127.0.0.1; their
# baselines are learnt first (not timed), then ONE round of the optimised
# `canhgac site check` over the N pages is measured — pages/s, wall time,
# peak RSS (/usr/bin/time) — beside the target (≥ 200 pages/s on 2 cores,
# under 100 MB). The named peer on the same input: curl --parallel
# fetching the same N URLs twice (a browser's and Googlebot's
# User-Agent), the raw-fetch floor of what the checker does; the ratio is
# printed. Results in bench/out/sites/.
# Usage: bench/sites.sh [CANHGAC [PORTAL]]
#   SITES_PAGES=2000, SITES_CONCURRENCY=32 (checker and curl),
#   SITES_FETCHES=3 (baseline fetches), SITES_SITEMAP=1 (the round finds
#   the pages through the sitemap instead of being given them)
# shellcheck shell=sh disable=SC2046,SC2086
set -u
cd "$(dirname "$0")/.." || exit 2
CG=${1:-build/canhgac}
PORTAL=${2:-build/tests/portal}
N=${SITES_PAGES:-2000}
CONC=${SITES_CONCURRENCY:-32}
FETCHES=${SITES_FETCHES:-3}
OUT=bench/out/sites
TARGET_PPS=200
TARGET_MB=100
UA_BROWSER="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
UA_CRAWLER="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
NO_PROXY='*'
no_proxy='*'
export NO_PROXY no_proxy

for t in "$CG" "$PORTAL"; do
	[ -x "$t" ] || { echo "sites.sh: thiếu / missing $t (make bench-sites)" >&2
	    exit 2; }
done
for t in curl jq; do
	command -v $t >/dev/null || { echo "sites.sh: thiếu / missing $t" >&2
	    exit 2; }
done
[ -x /usr/bin/time ] || { echo "sites.sh: thiếu / missing /usr/bin/time" >&2
    exit 2; }
rm -rf "$OUT"
mkdir -p "$OUT/portal"

now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

pid=""
cleanup() {
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the portal ---------------------------------------------------------------
"$PORTAL" --pages "$N" --state "$OUT/portal" --port-file "$OUT/portal/port" \
    --dns-port-file "$OUT/portal/dns-port" >"$OUT/portal.log" 2>&1 &
pid=$!
i=0
while [ ! -s "$OUT/portal/port" ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || { cat "$OUT/portal.log" >&2; exit 1; }
	sleep 0.1
done
PORT=$(cat "$OUT/portal/port")
DNS=127.0.0.1:$(cat "$OUT/portal/dns-port")
BASE=http://portal.thaihoa.test:$PORT
RES="portal.thaihoa.test:$PORT:127.0.0.1"
curl -sS --resolve "$RES" "$BASE/sitemap.xml" |
    sed -n 's|.*<loc>\([^<]*\)</loc>.*|\1|p' | head -n "$N" >"$OUT/urls"
n=$(wc -l <"$OUT/urls")
[ "$n" -eq "$N" ] || { echo "sites.sh: sitemap có / has $n URL, cần / want $N" >&2
    exit 1; }
bytes=$(curl -sS --resolve "$RES" "$BASE/tin-tuc/1.html" | wc -c)
echo "== cổng thử / test portal: $n trang / pages (~$((bytes / 1024)) KB" \
    "mỗi bài / per article) on 127.0.0.1:$PORT, $(nproc) lõi / cores"

# --- the baselines (not timed) -------------------------------------------------
echo "== baseline ($FETCHES lần tải / fetches per page, not timed)"
t0=$(now)
"$CG" site baseline --state "$OUT/state" --fetches "$FETCHES" \
    --resolve "$RES" --dns-server "$DNS" $(cat "$OUT/urls") \
    >"$OUT/baseline.out" 2>"$OUT/baseline.err"
st=$?
echo "   $(awk -v a="$(now)" -v b="$t0" 'BEGIN { printf "%.1f", a - b }') s," \
    "exit $st"
[ $st -eq 0 ] || { tail -n 5 "$OUT/baseline.err" >&2; exit 1; }

# --- one round, measured ----------------------------------------------------------
if [ "${SITES_SITEMAP:-0}" = 1 ]; then
	set -- --sitemap "$BASE/"
else
	set -- $(cat "$OUT/urls")
fi
t0=$(now)
/usr/bin/time -f '%M %e' -o "$OUT/check.time" "$CG" site check --json \
    --state "$OUT/state" --resolve "$RES" --dns-server "$DNS" \
    --concurrency "$CONC" "$@" >"$OUT/check.json" 2>"$OUT/check.err"
st=$?
wall=$(awk -v a="$(now)" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')
rss_kb=$(tail -n 1 "$OUT/check.time" | cut -d' ' -f1)
if [ $st -gt 1 ] || ! jq -e '.stats' "$OUT/check.json" >/dev/null 2>&1; then
	tail -n 5 "$OUT/check.err" >&2
	echo "sites.sh: site check thoát với mã $st — exited $st" >&2
	exit 1
fi
pages=$(jq '.stats.pages' "$OUT/check.json")
pps=$(jq '.stats.pages_per_s' "$OUT/check.json")
alerts=$(jq '.stats.alerts' "$OUT/check.json")
wall_pps=$(ratio "$pages" "$wall")
rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')

# --- the peer: curl, the same URLs, twice ------------------------------------------
{
	for ua in "$UA_BROWSER" "$UA_CRAWLER"; do
		echo "resolve = \"$RES\""
		echo "user-agent = \"$ua\""
		echo "silent"
		echo "show-error"
		sed 's|.*|url = "&"\noutput = "/dev/null"|' "$OUT/urls"
		[ "$ua" = "$UA_CRAWLER" ] || echo "next"
	done
} >"$OUT/curl.conf"
t0=$(now)
/usr/bin/time -f '%M %e' -o "$OUT/curl.time" curl -sS --parallel \
    --parallel-max "$CONC" -K "$OUT/curl.conf" 2>"$OUT/curl.err"
cst=$?
cwall=$(awk -v a="$(now)" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')
crss=$(tail -n 1 "$OUT/curl.time" | cut -d' ' -f1)
cpps=$(ratio "$n" "$cwall")

# --- the summary ---------------------------------------------------------------------
ok_pps=$(awk -v p="$wall_pps" -v t=$TARGET_PPS 'BEGIN { print (p >= t) ? 1 : 0 }')
ok_rss=$(awk -v r="$rss_mb" -v t=$TARGET_MB 'BEGIN { print (r < t) ? 1 : 0 }')
mark() { [ "$1" = 1 ] && echo "đạt / met" || echo "KHÔNG ĐẠT / MISSED"; }
{
	echo "== canhgac site check (1 vòng / round, concurrency $CONC):"
	echo "   $pages trang / pages, $((pages * 2)) lần tải / fetches," \
	    "$wall s: $wall_pps trang/s / pages/s (stats: $pps)" \
	    "— mục tiêu / target ≥ $TARGET_PPS: $(mark "$ok_pps")"
	echo "   RSS đỉnh / peak RSS $rss_mb MB (stats.max_rss_kb" \
	    "$(jq '.stats.max_rss_kb' "$OUT/check.json"))" \
	    "— mục tiêu / target < $TARGET_MB MB: $(mark "$ok_rss")"
	echo "   $alerts cảnh báo / alerts (exit $st)"
	echo "== đối chứng / peer: curl --parallel --parallel-max $CONC," \
	    "same $n URLs × 2 User-Agents (exit $cst):"
	echo "   $cwall s: $cpps trang/s / pages/s, peak RSS" \
	    "$(awk -v k="$crss" 'BEGIN { printf "%.1f", k / 1024 }') MB"
	echo "== tỉ lệ / ratio canhgac / curl (pages/s): $(ratio "$wall_pps" "$cpps")"
} | tee "$OUT/summary.txt"
[ "$ok_pps" = 1 ] && [ "$ok_rss" = 1 ]
