#!/bin/sh
# deps.sh — installs the Debian packages that building, testing and running
# Canh Gác need, only those missing. Run as root or with sudo available.
# Usage: scripts/deps.sh [build|check|bench]   (default: check)
set -eu

what=${1:-check}

build="make gcc pkg-config libjansson-dev libyaml-dev libutf8proc-dev libmicrohttpd-dev
libgnutls28-dev libcurl4-gnutls-dev
libpcre2-dev liblz4-dev zlib1g-dev libsodium-dev libnftables-dev libsqlite3-dev
libqrencode-dev libxlsxwriter-dev
libzip-dev libxml2-dev libgsf-1-dev libpoppler-glib-dev libgmime-3.0-dev
libtesseract-dev libleptonica-dev libcairo2-dev tesseract-ocr-vie tesseract-ocr-eng"
check="$build clang libclang-rt-14-dev llvm libcmocka-dev jq perl util-linux lz4 gzip
procps curl sqlite3 gnutls-bin oathtool chromium libpango1.0-dev qpdf"
bench="$check lynis time hyperfine nginx-light wrk poppler-utils docx2txt catdoc ripgrep"

case "$what" in
build) pkgs=$build ;;
check) pkgs=$check ;;
bench) pkgs=$bench ;;
*) echo "usage: $0 [build|check|bench]" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null |
	    grep -qx installed; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps.sh: cài các gói còn thiếu / installing missing packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "deps.sh: cần quyền root hoặc sudo để cài:$missing" >&2
	echo "deps.sh: root or sudo is needed to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists when they are missing or older than a day.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
	$sudo apt-get update -q
fi
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
