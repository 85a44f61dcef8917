#!/bin/sh
# fixture.sh — copies a fixture tree and makes its dates relative to today.
# Usage: tests/fixture.sh NAME DEST   (reads tests/fixtures/NAME and
# tests/fixtures/NAME.meta/; see tests/fixtures/README.md)
set -eu
name=$1
dest=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$here/fixtures/$name
meta=$here/fixtures/$name.meta
[ -d "$src" ] || { echo "fixture.sh: no tree $src" >&2; exit 2; }
NOW=${NOW:-$(date +%s)}
export NOW
rm -rf "$dest"
mkdir -p "$dest"
cp -a "$src/." "$dest/"
# Date templates in text files: @EPOCH:N@ @EPOCHDAY:N@ @DATE:N:FORMAT@,
# N in days from now (negative: in the past).
find "$dest" -type f -size -4M -print0 | xargs -0 -r grep -lZ '@\(EPOCH\|EPOCHDAY\|DATE\):' 2>/dev/null |
    xargs -0 -r perl -0777 -pi -e '
	use POSIX qw(strftime);
	my $now = $ENV{NOW};
	s/\@EPOCHDAY:(-?\d+)\@/int(($now + $1 * 86400) \/ 86400)/ge;
	s/\@EPOCH:(-?\d+)\@/$now + $1 * 86400/ge;
	s/\@DATE:(-?\d+):([^@]*)\@/strftime($2, gmtime($now + $1 * 86400))/ge;
    '
if [ -d "$meta" ]; then
	# Generators write what git cannot hold (binary logs, huge files,
	# unreadable modes): run with the destination as $1 and NOW set.
	for g in "$meta"/*.gen; do
		[ -e "$g" ] || continue
		"$g" "$dest" || { echo "fixture.sh: $g failed" >&2; exit 1; }
	done
	# Modification times: lines "PATH DAYS" (DAYS ago; # comments).
	for m in "$meta"/*.mtimes; do
		[ -e "$m" ] || continue
		grep -v '^[[:space:]]*\(#\|$\)' "$m" | while read -r p d; do
			t=$((NOW - d * 86400))
			touch -h -d "@$t" "$dest/$p"
		done
	done
fi
