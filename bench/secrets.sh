#!/bin/sh
# secrets.sh — the classified-document finder's speed (issue 5): builds
# once a corpus of mixed office documents (build/tests/mkcorpus --bench,
# kept in build/bench-secrets), then in the same run measures
#   1. canhgac-agent secrets, cold (fresh cache), 2 jobs, not niced;
#   2. the usual pipeline on the same files, 2 at a time: pdftotext,
#      docx2txt, catdoc, xls2csv, catppt, unzip -p, each piped to rg;
#   3. the finder again over the unchanged tree (warm cache): the median
#      of 10 runs under hyperfine (its time is ~0.1 s);
# and prints MB/s, files/s, peak RSS and the ratios beside the targets
# (finder ≥ 10× the pipeline; warm re-scan ≥ 100× faster than cold).
# Both read the corpus from the page cache (it is read once first).
# Usage: bench/secrets.sh [CANHGAC-AGENT [MKCORPUS]]
#   SECRETS_BENCH_SIZE=1G (corpus size), SECRETS_BENCH_DIR, JOBS=2
set -u
cd "$(dirname "$0")/.." || exit 2
AGENT=${1:-build/canhgac-agent}
MK=${2:-build/tests/mkcorpus}
SIZE=${SECRETS_BENCH_SIZE:-1G}
DIR=${SECRETS_BENCH_DIR:-build/bench-secrets}
JOBS=${JOBS:-2}
OUT=bench/out/secrets
mkdir -p "$OUT"

for t in "$AGENT" "$MK"; do
	[ -x "$t" ] || { echo "secrets.sh: missing $t (make bench-secrets)" >&2
	    exit 2; }
done
for t in pdftotext docx2txt catdoc xls2csv catppt unzip rg jq; do
	command -v $t >/dev/null || { echo "secrets.sh: missing $t" \
	    "(scripts/deps.sh bench)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "secrets.sh: /usr/bin/time missing" >&2
    exit 2; }

now() { date +%s.%N; }
# ratio A B: A/B with one decimal
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }

# --- the corpus, kept between runs ------------------------------------------
if [ ! -f "$DIR/expected.tsv" ] || [ "$(cat "$DIR/.size" 2>/dev/null)" != \
    "$SIZE" ]; then
	echo "== tạo kho $SIZE / making a $SIZE corpus in $DIR (once)"
	rm -rf "$DIR"
	t0=$(now)
	"$MK" --out "$DIR" --bench "$SIZE" --jobs "$(nproc)"
	st=$?
	if [ $st -ne 0 ] && [ $st -ne 3 ]; then
		echo "secrets.sh: mkcorpus failed ($st)" >&2
		exit 1
	fi
	echo "$SIZE" >"$DIR/.size"
	echo "   $(awk -v a="$(now)" -v b="$t0" 'BEGIN{printf "%.0f", a-b}') s"
fi
root=$(cd "$DIR" && pwd -P)
grep -v '^#' "$DIR/expected.tsv" | cut -f1 | sed "s|^|$root/|" \
    >"$OUT/files"
nfiles=$(wc -l <"$OUT/files")
bytes=$(tr '\n' '\0' <"$OUT/files" | xargs -0 stat -c %s | \
    awk '{ s += $1 } END { print s }')
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "== kho / corpus: $nfiles tệp / files, $mb MB"
awk -F '\t' '!/^#/ { n[$3]++ } END { for (f in n) printf "   %s %d", f, n[f];
    print "" }' "$DIR/expected.tsv"
# Into the page cache for both.
tr '\n' '\0' <"$OUT/files" | xargs -0 cat >/dev/null

# run NAME CMD...: wall seconds in $secs, peak RSS (KiB) in $rss
run() {
	name=$1
	shift
	t0=$(now)
	/usr/bin/time -f '%M' -o "$OUT/$name.time" "$@" >"$OUT/$name.out" \
	    2>"$OUT/$name.err"
	st=$?
	secs=$(awk -v a="$(now)" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')
	rss=$(tail -n 1 "$OUT/$name.time")
}

nice=""
"$AGENT" secrets --help 2>&1 | grep -q -- '--no-nice' && nice=--no-nice

echo "== canhgac-agent secrets, lạnh / cold ($JOBS jobs)"
rm -f "$OUT/cache.db"
run cold "$AGENT" secrets --format json --cache "$OUT/cache.db" \
    --jobs "$JOBS" $nice "$root"
cold=$secs cold_rss=$rss
[ $st -le 1 ] || { echo "secrets.sh: finder exit $st" >&2
    tail "$OUT/cold.err" >&2; exit 1; }

echo "== đường ống thường dùng / the usual pipeline ($JOBS at a time)"
cat >"$OUT/one.sh" <<'EOF'
#!/bin/sh
# one file through the usual text tool, then rg
for f; do
	case $f in
	*.pdf) pdftotext -q "$f" - ;;
	*.docx) docx2txt "$f" - ;;
	*.doc) catdoc "$f" ;;
	*.xls) xls2csv -q0 "$f" ;;
	*.ppt) catppt "$f" ;;
	*.xlsx | *.pptx | *.odt | *.ods | *.odp) unzip -p "$f" ;;
	*) cat "$f" ;;
	esac 2>/dev/null | rg -q 'MẬT' && echo "$f"
done
exit 0
EOF
chmod +x "$OUT/one.sh"
run pipeline sh -c "tr '\\n' '\\0' <'$OUT/files' | xargs -0 -n 16 -P '$JOBS' '$OUT/one.sh'"
pipe=$secs pipe_rss=$rss
pipe_hits=$(wc -l <"$OUT/pipeline.out")

# The warm re-scan takes a tenth of a second, where this script's own
# timing (date, /usr/bin/time, awk: ~20 ms) would weigh: one run for its
# report and peak RSS, then hyperfine (no shell, 10 runs, the median)
# for its time; without hyperfine, the median of three runs as above.
echo "== canhgac-agent secrets, quét lại / warm re-scan"
run warm "$AGENT" secrets --format json --cache "$OUT/cache.db" \
    --jobs "$JOBS" $nice "$root"
warm=$secs warm_rss=$rss
if command -v hyperfine >/dev/null; then
	hyperfine -N -i --runs 10 --export-json "$OUT/warm-hyperfine.json" \
	    "$AGENT secrets --format json --cache $OUT/cache.db --jobs $JOBS $nice $root" \
	    >"$OUT/warm-hyperfine.txt" 2>&1 &&
	    warm=$(jq -r '.results[0].median' "$OUT/warm-hyperfine.json" |
	    awk '{ printf "%.3f", $1 }')
	echo "   hyperfine: median $warm s of 10 runs" \
	    "($(jq -r '.results[0] | "min \(.min * 1000 | floor) ms, max \(.max * 1000 | floor) ms"' \
	    "$OUT/warm-hyperfine.json"))"
else
	warms=$warm
	for i in 2 3; do
		run warm "$AGENT" secrets --format json --cache "$OUT/cache.db" \
		    --jobs "$JOBS" $nice "$root"
		warms="$warms $secs"
	done
	warm=$(echo $warms | tr ' ' '\n' | sort -n | sed -n 2p)
	echo "   $warms s (median $warm)"
fi

read_cold=$(jq -r .stats.read "$OUT/cold.out")
read_warm=$(jq -r .stats.read "$OUT/warm.out")
found=$(jq -r '.documents | length' "$OUT/cold.out")
unread=$(jq -r '.unreadable | length' "$OUT/cold.out")
marked=$(awk -F '\t' '$2 ~ /^(mat|toi-mat|tuyet-mat)$/' "$DIR/expected.tsv" |
    wc -l)

line() { # what seconds rss
	awk -v w="$1" -v s="$2" -v r="$3" -v b="$bytes" -v n="$nfiles" 'BEGIN {
	    printf "  %-26s %9.2f %9.1f %9.1f %9.0f\n", w, s,
	    (s > 0 ? b / 1048576 / s : 0), (s > 0 ? n / s : 0), r / 1024 }'
}
echo
printf '  %-26s %9s %9s %9s %9s\n' "" "giây/s" "MB/s" "tệp/s" "RSS MB"
line "finder, cold" "$cold" "$cold_rss"
line "pipeline (rg)" "$pipe" "$pipe_rss"
line "finder, warm" "$warm" "$warm_rss"
echo
r1=$(ratio "$pipe" "$cold")
r2=$(ratio "$cold" "$warm")
verdict() {
	awk -v r="$1" -v t="$2" 'BEGIN { m = "chưa đạt / not met"
	    if (r >= t) m = "đạt / met"; print m }'
}
echo "  finder / pipeline:   ${r1}x  (mục tiêu / target ≥ 10x: $(verdict "$r1" 10))"
echo "  cold / warm:         ${r2}x  (mục tiêu / target ≥ 100x: $(verdict "$r2" 100))"
echo "  files read: cold $read_cold, warm $read_warm"
echo "  found $found of $marked marked; $unread unreadable;" \
    "the pipeline's rg matched $pipe_hits files (any 'MẬT')"
{
	echo "date=$(date -u +%FT%TZ) files=$nfiles bytes=$bytes jobs=$JOBS"
	echo "cold=$cold pipe=$pipe warm=$warm cold_rss=$cold_rss" \
	    "pipe_rss=$pipe_rss warm_rss=$warm_rss"
	echo "finder/pipeline=$r1 cold/warm=$r2 found=$found marked=$marked"
} >"$OUT/result.txt"
