#!/bin/sh
# run.sh — the classified-document finder end to end (make secrets-tests):
# builds the corpus with build/tests/mkcorpus (every format, placement,
# degree, encoding and decoy, and the hostile inputs), scans it with the
# sanitizer build of `canhgac-agent secrets --format json`, and compares
# the report with expected.tsv: every marked document found with its exact
# degree, no decoy found, every hostile file refused with the right reason
# (or skipped). Then the cache: a warm re-scan reads no file, a touched
# file is read again. With Tesseract's Vietnamese model, a small --ocr run
# over scans and images. tests/secrets/README.md tells the format.
# Usage: tests/secrets/run.sh [CANHGAC-AGENT [MKCORPUS]]
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
cd "$src" || exit 2

AGENT=${1:-build/asan/canhgac-agent}
MK=${2:-build/tests/mkcorpus}
OUT=${SECRETS_CORPUS:-build/secrets-corpus}
DB=$OUT.db
JOBS=${SECRETS_JOBS:-2}
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS UBSAN_OPTIONS

failed=""
fail() {
	echo "KHÔNG ĐẠT / FAIL: $*" >&2
	failed="$failed
  $*"
}

for f in "$AGENT" "$MK"; do
	if [ ! -x "$f" ]; then
		echo "thiếu / missing: $f (make asan build/tests/mkcorpus)" >&2
		exit 2
	fi
done
command -v jq >/dev/null || { echo "thiếu / missing: jq" >&2; exit 2; }

# mkcorpus DIR [options]: a fresh corpus; exit 3 is a missing writer.
mkcorpus() {
	dir=$1
	shift
	rm -rf "$dir"
	mkdir -p "$(dirname "$dir")"
	"$MK" --out "$dir" "$@" 2>"$dir.mk.log"
	st=$?
	cat "$dir.mk.log" >&2
	case $st in
	0) ;;
	3) fail "mkcorpus: thiếu bộ ghi định dạng / a format writer is" \
	    "missing ($(grep -o 'gen_[a-z]*_write' "$dir.mk.log" | tr '\n' ' '))" ;;
	*) fail "mkcorpus $* exited $st" ;;
	esac
	[ -f "$dir/expected.tsv" ]
}

# scan NAME ARGS...: runs the finder, its JSON to $OUT.NAME.json; checks
# the exit status is 1 (documents found) and no sanitizer report.
scan() {
	name=$1
	shift
	t0=$(date +%s)
	timeout -k 10 600 "$AGENT" secrets --format json --jobs "$JOBS" "$@" \
	    >"$OUT.$name.json" 2>"$OUT.$name.err"
	st=$?
	echo "  quét / scan $name: $(($(date +%s) - t0)) s, exit $st"
	if grep -q 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:' \
	    "$OUT.$name.err"; then
		grep -m 20 -A 12 'ERROR: \|runtime error:' "$OUT.$name.err" >&2
		fail "$name: sanitizer report ($OUT.$name.err)"
	fi
	if ! jq -e '.schema == 1 and (.stats | type) == "object"' \
	    "$OUT.$name.json" >/dev/null 2>&1; then
		tail -n 20 "$OUT.$name.err" >&2
		fail "$name: no JSON report (exit $st)"
		return 1
	fi
	[ "$st" -eq 1 ] || fail "$name: exit status $st, want 1 (found)"
	return 0
}

# verdicts TSV JSON ROOT: one line a file of expected.tsv —
# status format expected path detail — status OK or the kind of error;
# and EXTRA for any file reported that expected.tsv does not name.
verdicts() {
	jq -nr --rawfile tsv "$1" --slurpfile rep "$2" --arg root "$3" '
	def codes: split(":")[1] | split("|");
	def has($l; $x): any($l[]; . == $x);
	($rep[0]) as $j
	| ($j.documents | map({key: .path, value: .}) | from_entries) as $found
	| ($j.unreadable | map({key: .path, value: .}) | from_entries) as $unr
	| (($j.scanned_only // []) | map({key: .path, value: true})
	    | from_entries) as $scan
	| [$tsv | split("\n")[] | select(length > 0 and
	    (startswith("#") | not)) | split("\t")] as $rows
	| ($rows | map({key: ($root + "/" + .[0]), value: true})
	    | from_entries) as $known
	| ($rows[] | . as [$rel, $exp, $fmt] | ($root + "/" + $rel) as $p
	  | $found[$p] as $f | $unr[$p] as $u
	  | (if $u then "unreadable \($u.code): \($u.detail // "")"
	     elif $f then "found \($f.degree) by \($f.rule) in \($f.part)" +
	       " p\($f.page // 0): \($f.marking)"
	     else "-" end) as $seen
	  | (if ($exp | test("^(mat|toi-mat|tuyet-mat)$")) then
	      (if $f == null then "MISS"
	       elif $f.degree != $exp then "DEGREE" else "OK" end)
	    elif $exp == "none" then
	      (if $f then "FALSE" elif $u then "UNREADABLE" else "OK" end)
	    elif $exp == "scanned" then
	      (if $f then "FALSE" elif $scan[$p] then "OK" else "NOTSCAN" end)
	    elif $exp == "skipped" then
	      (if $f then "FALSE" elif $u then "NOTSKIPPED" else "OK" end)
	    elif ($exp | startswith("unreadable:")) then
	      (if $f then "FALSE" elif $u == null then "READ"
	       elif has($exp | codes; $u.code) then "OK" else "CODE" end)
	    elif ($exp | startswith("nofind:")) then
	      (if $f then "FALSE" elif $u == null or has($exp | codes;
	       $u.code) then "OK" else "CODE" end)
	    else "BADTSV" end) as $st
	  | [$st, $fmt, $exp, $rel, $seen] | @tsv),
	  ($j.documents[], $j.unreadable[] | select($known[.path] | not)
	  | ["EXTRA", "-", "-", .path, (.degree // .code)] | @tsv)'
}

# table VERDICTS: recall and precision per format; the failures by name.
table() {
	awk -F '\t' '
	function pct(a, b) { return b ? sprintf("%5.1f%%", 100 * a / b) : "    -" }
	{
		f = $2; fmts[f] = 1; n[f]++
		pos = ($3 ~ /^(mat|toi-mat|tuyet-mat)$/)
		if (pos) { P[f]++; if ($1 == "OK") TP[f]++ }
		if ($1 == "FALSE" || $1 == "DEGREE") FP[f]++
		if ($1 != "OK") { bad[f]++; nbad++ }
	}
	END {
		print "  định dạng     tệp    mật    tìm   nhầm  độ phủ chính xác    lỗi"
		print "  format      files marked  found  false  recall precision errors"
		for (f in fmts) {
			tp = TP[f] + 0; fp = FP[f] + 0
			printf "  %-10s %6d %6d %6d %6d %7s %9s %6d\n", f, n[f],
			    P[f], tp, fp, pct(tp, P[f]), pct(tp, tp + fp),
			    bad[f]
		}
		exit nbad > 0
	}' "$1" | { IFS= read -r h1; IFS= read -r h2; echo "$h1"; echo "$h2"; sort; }
}

# check NAME TSV ROOT: verdicts of one scan, table, failures named.
check() {
	verdicts "$2" "$OUT.$1.json" "$3" >"$OUT.$1.verdicts"
	echo "  $1:"
	table "$OUT.$1.verdicts"
	nbad=$(awk -F '\t' '$1 != "OK"' "$OUT.$1.verdicts" | wc -l)
	if [ "$nbad" -gt 0 ]; then
		awk -F '\t' '$1 != "OK" { printf "    %-10s %-28s %s\n      -> %s\n",
		    $1, $3, $4, $5 }' "$OUT.$1.verdicts" | head -n 120 >&2
		fail "$1: $nbad tệp sai / files wrong ($OUT.$1.verdicts)"
	fi
}

stat_of() {
	jq -r ".stats.$2" "$OUT.$1.json"
}

echo "== tạo kho tài liệu thử / making the corpus ($OUT)"
rm -f "$DB"
if mkcorpus "$OUT"; then
	root=$(cd "$OUT" && pwd -P)
	echo "  $(($(wc -l <"$OUT/expected.tsv") - 1)) tệp / files"

	echo "== quét lần đầu / cold scan"
	if scan cold --cache "$DB" "$root"; then
		check cold "$OUT/expected.tsv" "$root"
		echo "  $(stat_of cold files) files, $(stat_of cold read) read," \
		    "$(jq '.stats.mb_per_s * 10 | round / 10' "$OUT.cold.json")" \
		    "MB/s"
	fi

	echo "== quét lại, không đổi / warm re-scan, nothing changed"
	if scan warm --cache "$DB" "$root"; then
		files=$(stat_of warm files)
		read=$(stat_of warm read)
		cached=$(stat_of warm cached)
		echo "  files $files, read $read, cached $cached"
		[ "$read" = 0 ] || fail "warm: $read files read, want 0"
		# Files over --max-file are refused from their size alone,
		# neither read nor cached.
		big=$(find "$root" -type f -size +256M | wc -l)
		[ $((cached + big)) -eq "$files" ] ||
		    fail "warm: cached $cached + over max-file $big !=" \
		    "files $files"
		same='[.documents[] | [.path, .degree]] + [.unreadable[] |
		    [.path, .code]] | sort'
		if [ "$(jq -c "$same" "$OUT.cold.json")" != \
		    "$(jq -c "$same" "$OUT.warm.json")" ]; then
			fail "warm: the cached verdicts differ from the cold scan"
		fi
	fi

	echo "== một tệp thay đổi / one file touched"
	one=$(awk -F '\t' '$2 ~ /^(mat|toi-mat|tuyet-mat)$/ && $3 != "pdfscan" \
	    { print $1; exit }' "$OUT/expected.tsv")
	if [ -n "$one" ]; then
		touch -d "@$(($(date +%s) + 60))" "$root/$one"
		if scan touched --cache "$DB" "$root"; then
			read=$(stat_of touched read)
			echo "  read $read ($one)"
			[ "$read" = 1 ] || fail "touched: $read files read, want 1"
			jq -e --arg p "$root/$one" \
			    'any(.documents[]; .path == $p)' \
			    "$OUT.touched.json" >/dev/null ||
			    fail "touched: $one no longer found"
		fi
	fi
fi

vie=$(ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata \
    /usr/share/tessdata/vie.traineddata 2>/dev/null | head -n 1)
if [ -n "$vie" ]; then
	echo "== nhận dạng chữ / OCR (--ocr, chậm hơn / slower)"
	OCR=$OUT-ocr
	if mkcorpus "$OCR" --ocr --formats pdfscan,png,jpg,tif; then
		oroot=$(cd "$OCR" && pwd -P)
		# Tesseract under a busy machine: a longer limit per file.
		if scan ocr --ocr --no-cache --time-limit 300 "$oroot"; then
			check ocr "$OCR/expected.tsv" "$oroot"
		fi
	fi
else
	echo "== OCR: bỏ qua, thiếu tesseract-ocr-vie / skipped, no" \
	    "Vietnamese model"
fi

if [ -n "$failed" ]; then
	echo "secrets-tests KHÔNG ĐẠT / FAILED:$failed" >&2
	exit 1
fi
echo "secrets-tests: đạt / passed"
