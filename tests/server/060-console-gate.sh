#!/bin/sh
# 060-console-gate.sh — the web console's gate over TLS (src/server/web.c):
# sign in (as a viewer made with `canhgac user add`), the session cookie's
# attributes, a new session id at sign-in (a planted one is never kept),
# the security headers of every answer, a POST without or with a wrong
# CSRF token or a foreign Origin refused, the same answer for an unknown
# login and a wrong password, a page without a session redirected to
# sign-in, the stylesheet served, the 15-minute idle expiry (the session's
# last use moved back with sqlite3), the language switch, sign-out, and
# the agent API still answering beside the console.
# shellcheck shell=sh disable=SC1111
. "$(dirname "$0")/lib.sh"

JAR=$T/cookies

# web PATH [CURL OPTIONS...]: one request with the test's cookie jar.
web() {
	console "$JAR" "$@"
}

# jar NAME: a cookie's value in the jar.
jar() {
	cookie "$JAR" "$1"
}

# session_rows: sessions in the store.
session_rows() {
	sql 'SELECT count(*) FROM sessions'
}

expect_headers() {
	_what=$1
	expect_eq "$(header Content-Security-Policy)" "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'" "$_what: Content-Security-Policy"
	expect_eq "$(header X-Frame-Options)" DENY "$_what: X-Frame-Options"
	expect_eq "$(header Referrer-Policy)" no-referrer "$_what: Referrer-Policy"
	expect_eq "$(header X-Content-Type-Options)" nosniff "$_what: X-Content-Type-Options"
	expect_eq "$(header Strict-Transport-Security)" max-age=31536000 "$_what: Strict-Transport-Security"
	[ "$(tr -d '\r' <"$H" | grep -ci '^Content-Security-Policy:')" -eq 1 ] ||
	    fail "$_what: hai tiêu đề CSP — two CSP headers"
}

step "init, canhgacd"
server_init
# A supervisor must set up a second factor first (070-people.sh tests
# that); the gate is tested with the chairman's read-only account.
LOGIN=chutich
PW=mat-khau-chu-tich-2025
printf '%s\n' "$PW" >"$T/pw-viewer"
chmod 600 "$T/pw-viewer"
cg user add --login "$LOGIN" --role viewer --name "Chủ tịch UBND phường" \
    --password-file "$T/pw-viewer" >"$T/add.out" 2>&1 ||
    { cat "$T/add.out" >&2; fail "user add viewer"; }
server_start
: >"$JAR"

step "a page without a session: 303 to sign-in"
expect_eq "$(web /tong-quan)" 303 "GET /tong-quan without a session"
expect_eq "$(header Location)" "/dang-nhap?next=/tong-quan" "Location"
expect_headers "303"
expect_eq "$(web /)" 303 "GET / without a session"
expect_eq "$(header Location)" /dang-nhap "Location of /"

step "the sign-in page, its headers and pre-sign-in cookie"
: >"$JAR"
expect_eq "$(web /dang-nhap)" 200 "GET /dang-nhap"
expect_headers "GET /dang-nhap"
expect_eq "$(header Cache-Control)" no-store "Cache-Control of a page"
expect_file_has "$B" 'lang="vi"' "sign-in page"
expect_file_has "$B" "Đăng nhập" "sign-in page"
PRE=$(tr -d '\r' <"$H" | grep -i '^Set-Cookie: cg_pre=' | head -n 1)
for a in HttpOnly Secure SameSite=Strict; do
	case "$PRE" in *"; $a"*) ;; *) fail "cg_pre thiếu / lacks $a: $PRE" ;; esac
done
TOK=$(csrf)
[ -n "$TOK" ] || fail "trang đăng nhập không có csrf — no csrf in the sign-in form"
# The query string, strictly decoded; a bad escape or a foreign target
# is dropped, markup is escaped.
expect_eq "$(web '/dang-nhap?next=%2Ftong-quan%3Fa%3D1')" 200 "GET /dang-nhap?next=…"
expect_file_has "$B" 'name="next" value="/tong-quan?a=1"' "next from the query"
expect_eq "$(web '/dang-nhap?next=%ZZ')" 200 "GET /dang-nhap?next=%ZZ"
expect_file_has "$B" 'name="next" value=""' "a bad escape in the query"
expect_eq "$(web '/dang-nhap?next=%2F%2Fevil.example')" 200 "GET /dang-nhap?next=//evil"
expect_file_has "$B" 'name="next" value=""' "a foreign next"
expect_eq "$(web '/dang-nhap?next=%2F%22%3E%3Cscript%3E')" 200 "GET /dang-nhap?next=markup"
if grep -q '<script' "$B"; then
	fail "thẻ script từ chuỗi truy vấn — a script tag from the query string"
fi

step "sign-in without the CSRF token: 403"
expect_eq "$(web /dang-nhap --data-urlencode "login=$LOGIN" \
    --data-urlencode "password=$PW")" 403 "POST /dang-nhap without csrf"
expect_headers "403"
expect_eq "$(session_rows)" 0 "sessions after a refused sign-in"
expect_file_has "$T/canhgacd.log" "event=csrf.refused reason=missing" "canhgacd.log"

step "unknown login and wrong password: the same answer"
expect_eq "$(web /dang-nhap --data-urlencode "csrf=$TOK" \
    --data-urlencode "login=khong-co-ai" --data-urlencode "password=x")" \
    200 "unknown login"
grep -v 'name="csrf"' "$B" | grep -v '<footer' >"$T/unknown.html"
expect_file_has "$B" "không đúng" "unknown login"
expect_eq "$(web /dang-nhap --data-urlencode "csrf=$TOK" \
    --data-urlencode "login=$LOGIN" --data-urlencode "password=${PW}x")" \
    200 "wrong password"
grep -v 'name="csrf"' "$B" | grep -v '<footer' >"$T/wrong.html"
cmp -s "$T/unknown.html" "$T/wrong.html" ||
    fail "trang khác nhau cho tên lạ và mật khẩu sai — different pages for an unknown login and a wrong password"
expect_file_has "$T/canhgacd.log" "event=signin.failed login=khong-co-ai addr=127.0.0.1" "canhgacd.log"
expect_file_has "$T/canhgacd.log" "event=signin.failed login=$LOGIN addr=127.0.0.1" "canhgacd.log"
expect_eq "$(session_rows)" 0 "sessions after failed sign-ins"

step "sign in: a new session id, never the planted one"
PLANT=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
printf '127.0.0.1\tFALSE\t/\tTRUE\t0\tcg_session\t%s\n' "$PLANT" >>"$JAR"
expect_eq "$(web /dang-nhap --data-urlencode "csrf=$TOK" \
    --data-urlencode "login=$LOGIN" --data-urlencode "password=$PW" \
    --data-urlencode "next=/tong-quan")" 303 "POST /dang-nhap"
expect_eq "$(header Location)" /tong-quan "Location after sign-in"
SC=$(tr -d '\r' <"$H" | grep -i '^Set-Cookie: cg_session=' | head -n 1)
for a in HttpOnly Secure SameSite=Strict Path=/; do
	case "$SC" in *"; $a"*) ;; *) fail "cg_session thiếu / lacks $a: $SC" ;; esac
done
S1=$(jar cg_session)
[ ${#S1} -eq 43 ] || fail "mã phiên không phải 43 ký tự — session id not 43 characters: $S1"
[ "$S1" != "$PLANT" ] || fail "mã phiên cài sẵn được giữ — the planted session id was kept"
expect_eq "$(session_rows)" 1 "sessions after sign-in"
# Only the SHA-256 of the cookie is stored.
expect_eq "$(sql "SELECT count(*) FROM sessions WHERE hash LIKE '%$S1%'")" 0 "raw session id in the store"
expect_file_has "$T/canhgacd.log" "event=signin.ok login=$LOGIN" "canhgacd.log"

step "signed in: the overview"
expect_eq "$(web /tong-quan)" 200 "GET /tong-quan"
expect_headers "GET /tong-quan"
expect_file_has "$B" "Chủ tịch UBND phường" "overview"
expect_file_has "$B" "Lãnh đạo (chỉ xem)" "overview: the role"
expect_eq "$(web /)" 303 "GET / signed in"
expect_eq "$(header Location)" /tong-quan "Location of / signed in"
expect_eq "$(web /dang-nhap)" 303 "GET /dang-nhap signed in"
expect_eq "$(web /khong-co)" 404 "an unknown page"
expect_headers "404"
expect_eq "$(web /tong-quan -X POST -d x=1)" 405 "POST to a GET page"

step "POSTs without, with a wrong CSRF token, or from another origin: 403"
expect_eq "$(web /tong-quan)" 200 "GET /tong-quan"
STOK=$(csrf)
[ -n "$STOK" ] && [ "$STOK" != "$TOK" ] ||
    fail "phiên phải có mã csrf riêng — the session needs its own csrf token"
expect_eq "$(web /ngon-ngu -d lang=en)" 403 "POST /ngon-ngu without csrf"
expect_eq "$(web /ngon-ngu -d lang=en -d "csrf=$TOK")" 403 "POST with the pre-sign-in token"
expect_eq "$(web /ngon-ngu -d lang=en -d "csrf=${STOK}x")" 403 "POST with a wrong token"
expect_eq "$(web /dang-xuat -d "csrf=" -d "csrf=$STOK")" 403 "POST with an empty first token"
expect_eq "$(web /ngon-ngu -d lang=en -d "csrf=$STOK" \
    -H 'Origin: https://evil.example')" 403 "POST from another origin"
expect_eq "$(web /ngon-ngu -d lang=en -d "csrf=$STOK" \
    -H "Referer: https://evil.example/x")" 403 "POST referred by another site"
expect_eq "$(web /dang-xuat -d "csrf=%ZZ")" 400 "POST with a bad escape"
expect_eq "$(session_rows)" 1 "the session survives refused POSTs"
expect_file_has "$T/canhgacd.log" "event=csrf.refused reason=mismatch login=$LOGIN" "canhgacd.log"
expect_file_has "$T/canhgacd.log" "event=csrf.refused reason=origin" "canhgacd.log"

step "the language switch"
expect_eq "$(web /ngon-ngu -d lang=en -d "csrf=$STOK" -d next=/tong-quan \
    -H "Origin: $URL")" 303 "POST /ngon-ngu"
expect_eq "$(header Location)" /tong-quan "Location after the switch"
expect_eq "$(jar lang)" en "lang cookie"
expect_eq "$(web /tong-quan)" 200 "GET /tong-quan in English"
expect_file_has "$B" 'lang="en"' "English page"
expect_file_has "$B" "Overview" "English page"
expect_eq "$(web /ngon-ngu -d lang=fr -d "csrf=$STOK")" 400 "an unknown language"
expect_eq "$(web /ngon-ngu -d lang=vi -d "csrf=$STOK" \
    -d 'next=//evil.example/')" 303 "POST /ngon-ngu with a foreign next"
expect_eq "$(header Location)" / "a foreign next is not followed"
expect_eq "$(web /tong-quan)" 200 "GET /tong-quan in Vietnamese"
expect_file_has "$B" "Tổng quan" "Vietnamese page"

step "static files"
CSS=$(sed -n 's/.*href="\(\/static\/console.css?v=[0-9a-f]*\)".*/\1/p' "$B" | head -n 1)
[ -n "$CSS" ] || fail "trang không dẫn tới console.css — the page links no console.css"
expect_eq "$(web "$CSS")" 200 "GET $CSS"
expect_eq "$(header Content-Type)" "text/css; charset=utf-8" "Content-Type of the stylesheet"
expect_eq "$(header Cache-Control)" "public, max-age=31536000, immutable" "Cache-Control of a hashed URL"
expect_headers "static"
expect_eq "$(web /static/console.css)" 200 "GET /static/console.css"
expect_eq "$(header Cache-Control)" no-cache "Cache-Control without a hash"
expect_eq "$(web /static/../messages.yml)" 404 "GET /static/../messages.yml"
expect_eq "$(web /static/%2e%2e%2fmessages.yml)" 404 "an encoded dot-dot"

step "markup in a path is inert"
expect_eq "$(web '/may/%3Cscript%3Ealert(1)%3C%2Fscript%3E')" 404 "a path with markup"
if grep -q '<script' "$B"; then
	fail "thẻ script trong trang lỗi — a script tag in the error page"
fi

step "the session ends after 15 minutes idle"
sqlite3 -batch -cmd '.timeout 10000' "$D/store.db" \
    "UPDATE sessions SET last_used = last_used - 16 * 60" ||
    fail "sqlite3 UPDATE sessions"
expect_eq "$(web /tong-quan)" 303 "GET /tong-quan after 16 idle minutes"
expect_eq "$(header Location)" "/dang-nhap?next=/tong-quan" "Location after idle expiry"
expect_eq "$(session_rows)" 0 "sessions after idle expiry"
expect_file_has "$T/canhgacd.log" "event=session.expired login=$LOGIN" "canhgacd.log"

step "sign in again, then sign out"
expect_eq "$(web /dang-nhap)" 200 "GET /dang-nhap"
TOK=$(csrf)
expect_eq "$(web /dang-nhap --data-urlencode "csrf=$TOK" \
    --data-urlencode "login=$LOGIN" --data-urlencode "password=$PW")" 303 \
    "POST /dang-nhap again"
expect_eq "$(header Location)" /tong-quan "Location after sign-in"
S2=$(jar cg_session)
[ -n "$S2" ] && [ "$S2" != "$S1" ] || fail "mã phiên lặp lại — the session id repeats"
expect_eq "$(web /tong-quan)" 200 "GET /tong-quan"
STOK=$(csrf)
expect_eq "$(web /dang-xuat -d "csrf=$STOK")" 303 "POST /dang-xuat"
expect_eq "$(header Location)" /dang-nhap "Location after sign-out"
expect_eq "$(session_rows)" 0 "sessions after sign-out"
expect_eq "$(web /tong-quan)" 303 "GET /tong-quan after sign-out"
# The old cookie, replayed by hand, opens nothing.
expect_eq "$(curl -sS --noproxy '*' --max-time 20 --cacert "$D/ca/ca.pem" \
    -o /dev/null -w '%{http_code}' -b "cg_session=$S2" "$URL/tong-quan")" \
    303 "a replayed session cookie"

step "the agent API beside the console"
expect_eq "$(web /api/v1/ca)" 200 "GET /api/v1/ca"
expect_eq "$(web /api/v1/khong-co)" 404 "GET /api/v1/khong-co"
expect_eq "$(header Content-Type)" "application/json; charset=utf-8" "an API 404 is JSON"
expect_eq "$(web /api/v1/batches)" 405 "GET /api/v1/batches"

server_stop
passed
