#!/bin/sh
# cli-smoke.sh — canhgac on its own, with no server and no agent: init
# (generated password, password file, refusals, no half-made directory after
# a failure), enrolment tokens (create, bounds, list, revoke, only the hash
# kept), agents, hosts and findings on an empty store (a clear message, []
# in JSON), usage errors (exit 2). The end-to-end test with canhgacd and the
# agent fills hosts and findings.
#
# Usage: tests/server/001-cli-smoke.sh [CANHGAC]   (default build/asan/canhgac)
# Exits non-zero when a check fails.
set -u
cg=${1:-build/asan/canhgac}
case $cg in /*) ;; *) cg=$(pwd)/$cg ;; esac
[ -x "$cg" ] || { echo "không có / missing: $cg" >&2; exit 2; }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
unset CANHGAC_DATA LC_ALL LC_MESSAGES
export LANG=C.UTF-8 COLUMNS=200
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cli-smoke.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
failed=0
n=0

ok() { n=$((n + 1)); }
fail() {
	n=$((n + 1)); failed=$((failed + 1))
	echo "không đạt / FAIL: $*"
	[ -s out ] && sed 's/^/  out: /' out | head -n 20
	[ -s err ] && sed 's/^/  err: /' err | head -n 20
}
# run WANT ARGS...: runs canhgac, output in out/err, checks the exit status
run() {
	want=$1; shift
	"$cg" "$@" >out 2>err
	rc=$?
	if [ "$rc" -eq "$want" ]; then ok; else
		fail "canhgac $* → $rc, muốn / want $want"; fi
}
has() { if grep -q -- "$1" "$2"; then ok; else fail "$2 thiếu / lacks “$1”"; fi; }
hasnt() { if grep -q -- "$1" "$2"; then fail "$2 có / has “$1”"; else ok; fi; }
mode() {
	m=$(stat -c %a "$1")
	if [ "$m" = "$2" ]; then ok; else fail "$1: mode $m, muốn / want $2"; fi
}
absent() { if [ -e "$1" ]; then fail "$1 còn lại / left behind"; else ok; fi; }

# --- init, generated password ---------------------------------------------
run 0 init --data d --generate-password
has "SHA256:[0-9a-f]\{64\}" out
has "Bước tiếp theo — next steps" out
# the password: 20 characters of the unambiguous alphabet, on its own line
if grep -Eq '^    [a-km-zA-HJ-NP-Z2-9]{20}$' out; then ok; else
	fail "không thấy mật khẩu sinh ra / no generated password"; fi
fpr=$(grep -o 'SHA256:[0-9a-f]\{64\}' out | head -n 1)
for f in d/canhgacd.conf d/store.db d/ca/ca.key d/ca/ca.pem d/tls/server.key \
    d/tls/server.pem; do
	if [ -s "$f" ]; then ok; else fail "$f thiếu / missing"; fi
done
mode d 750; mode d/ca 700; mode d/tls 750
mode d/ca/ca.key 600; mode d/tls/server.key 600
has "^listen 127.0.0.1:8443" d/canhgacd.conf
sum1=$(cat d/ca/ca.pem d/ca/ca.key d/store.db | cksum)

# --- init refuses what exists ----------------------------------------------
run 1 init --data d --generate-password
has "không ghi đè — .*does not overwrite" err
sum2=$(cat d/ca/ca.pem d/ca/ca.key d/store.db | cksum)
if [ "$sum1" = "$sum2" ]; then ok; else fail "init đã ghi đè / overwrote"; fi
mkdir other && echo x >other/keep
run 1 init --data other --generate-password
if [ "$(ls -A other)" = "keep" ]; then ok; else
	fail "init đã động vào thư mục không trống / touched a non-empty dir"; fi

# --- init with a password file, into an existing empty directory ----------
printf 'mật khẩu của cán bộ 2026\n' >pw
chmod 600 pw
mkdir e
run 0 init --data e --password-file pw --admin canbo.ca \
    --listen 127.0.0.1:18443 --url https://canhgac.phuong.local:18443
hasnt "CHỈ HIỆN MỘT LẦN" out
has "canbo.ca" out
has "^url https://canhgac.phuong.local:18443" e/canhgacd.conf
hasnt "mật khẩu của cán bộ" e/store.db

# --- init failures leave nothing behind -------------------------------------
printf 'ngắn\n' >short
run 1 init --data f --password-file short
has "ít nhất 12 ký tự" err
absent f
run 2 init --data f --listen 127.0.0.1 --generate-password
absent f
run 2 init --data f --url http://plain:80 --generate-password
absent f
run 2 init --data f --password-file pw --generate-password
absent f
run 2 init --data f --admin 'Quản trị' --generate-password
absent f
# a write fails half-way (file size limit): everything made is removed
(trap '' XFSZ; ulimit -f 1; "$cg" init --data f --generate-password) \
    >out 2>err
if [ $? -eq 1 ]; then ok; else fail "init dưới ulimit -f không thất bại / did not fail"; fi
has "đã xoá những gì vừa tạo" err
absent f
mkdir g
(trap '' XFSZ; ulimit -f 16; "$cg" init --data g --generate-password) \
    >out 2>err
if [ $? -eq 1 ]; then ok; else fail "init dưới ulimit -f 16 không thất bại / did not fail"; fi
if [ -d g ] && [ -z "$(ls -A g)" ]; then ok; else
	fail "g: thư mục có sẵn phải còn và trống / must stay, empty"; fi

# --- tokens -------------------------------------------------------------------
run 0 --data d token create --unit "Phòng Kế toán" --note "đợt 1"
tok=$(grep -o 'cg1_[A-Za-z0-9_-]*' out | head -n 1)
if [ "${#tok}" -eq 47 ]; then ok; else fail "mã đăng ký sai dạng / bad token “$tok”"; fi
has "canhgac-agent enroll --server https://127.0.0.1:8443 --token $tok --ca-fingerprint $fpr\$" out
has "Hết hạn — expires: 20[0-9-]* [0-9:]* (giờ Việt Nam" out
# only the SHA-256 of the token is kept
hasnt "$tok" d/store.db
for w in d/store.db-wal; do [ -e "$w" ] && hasnt "$tok" "$w"; done
hash=$(printf '%s' "$tok" | sha256sum | cut -d' ' -f1)
if command -v sqlite3 >/dev/null; then
	if [ "$(sqlite3 d/store.db "select count(*) from tokens where hash = '$hash'")" = 1 ]; then
		ok; else fail "SHA-256 của mã không có trong kho / hash not stored"; fi
fi
run 0 --data d token create --unit "Phòng Kế toán" --uses 5 --expires 90d --json
has '"token": "cg1_' out
has '"uses_max": 5' out
has "\"ca_fingerprint\": \"$fpr\"" out
tok2=$(grep -o 'cg1_[A-Za-z0-9_-]*' out | head -n 1)
if [ "$tok" != "$tok2" ]; then ok; else fail "hai mã giống nhau / two equal tokens"; fi
run 2 --data d token create --unit "Phòng Kế toán" --uses 0
run 2 --data d token create --unit "Phòng Kế toán" --uses 10001
run 2 --data d token create --unit "Phòng Kế toán" --expires 91d
run 2 --data d token create --unit "Phòng Kế toán" --expires 7x
run 2 --data d token create
run 2 --data d token create --unit "$(printf 'a\033[2Jb')"
run 2 --data d token create --unit "   "
run 0 --data e token create --unit "Tổ dân phố 3"
has "--server https://canhgac.phuong.local:18443 " out

run 0 --data d token list
has "Phòng Kế toán" out
has "còn hiệu lực" out
has "0/5" out
run 0 --data d --lang en token list
has "active" out
run 0 --data d token list --json
has '^\[$' out
has '"state":"active"' out
run 0 --data d token revoke 1
has "đã thu hồi mã đăng ký số 1" out
run 0 --data d token list --json
has '{"id":1,.*"revoked":true,"state":"revoked"' out
run 1 --data d token revoke 999
has "không có mã đăng ký số 999" err
run 2 --data d token revoke abc
run 2 --data d token revoke
run 2 --data d token frob

# --- agents, hosts and findings of an empty store ---------------------------
run 0 --data d agent list
has "chưa có agent nào" out
run 0 --data d agent list --json
if [ "$(tr -d '\n' <out)" = "[]" ]; then ok; else fail "agent list --json ≠ []"; fi
run 2 --data d agent revoke nothex
run 1 --data d agent revoke 0123456789abcdef0123456789abcdef
has "không có agent" err
run 0 --data d hosts
has "chưa có máy nào.*no hosts yet" out
run 0 --data d hosts --json
if [ "$(tr -d '\n' <out)" = "[]" ]; then ok; else fail "hosts --json ≠ []"; fi
run 0 --data d hosts --unit "Phòng Kế toán"
has "không có máy nào trong đơn vị" out
run 0 --data d findings
has "no hosts yet" out
run 0 --data d findings --json
if [ "$(tr -d '\n' <out)" = "[]" ]; then ok; else fail "findings --json ≠ []"; fi
run 0 --data d findings --all --status pass --host may-01 --check av-installed --json
run 2 --data d findings --status broken
run 2 --data d findings --check 'Bad Check'
# the data directory from the environment; options after the command
CANHGAC_DATA=$tmp/d "$cg" hosts --json >out 2>err
if [ $? -eq 0 ] && [ "$(tr -d '\n' <out)" = "[]" ]; then ok; else
	fail "CANHGAC_DATA không được dùng / not used"; fi
run 0 hosts --data d --lang en

# --- usage and missing data ---------------------------------------------------
run 1 --data nowhere hosts
has "canhgac init" err
run 2 frobnicate
run 2 hosts --bogus
run 2 --lang fr hosts
run 2
run 0 --version
has "^canhgac [0-9]" out
run 0 --help
has "canhgac token create" out

echo "cli-smoke: $((n - failed))/$n đạt / passed"
[ "$failed" -eq 0 ]
