#!/bin/sh
# 070-people.sh — people, the second factor and the audit log (issue 4):
# `canhgac user add` for each role; brute force over TLS: five wrong
# passwords lock the account, the right one is then refused with the same
# answer, and the audit log holds every failure and the lock; `canhgac
# user unlock`; a supervisor signs in, is sent to TOTP set-up before
# anything else, confirms a code (computed here with oathtool, or python3
# when it is missing), signs out, signs in again needing a code, and a
# replayed code is refused; the users page and the audit log page; then
# `canhgac audit-log verify` is intact, an attacker drops the triggers and
# edits one record with sqlite3, and verify names that record's id.
# shellcheck shell=sh disable=SC1111
. "$(dirname "$0")/lib.sh"

JAR=$T/cookies

web() {
	console "$JAR" "$@"
}

jar() {
	cookie "$JAR" "$1"
}

# totp SECRET OFFSET: the code of the 30 s step at now + OFFSET seconds.
totp() {
	_at=$(($(date +%s) + $2))
	if command -v oathtool >/dev/null 2>&1; then
		oathtool --totp -b -N "@$_at" "$1"
	else
		python3 -c 'import base64,hmac,struct,sys
k = base64.b32decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 8))
h = hmac.new(k, struct.pack(">Q", int(sys.argv[2]) // 30), "sha1").digest()
o = h[19] & 15
print("%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7fffffff) % 1000000))' "$1" "$_at"
	fi
}

# signin LOGIN PASSWORD: a fresh browser posts the sign-in form; prints
# the status.
signin() {
	: >"$JAR"
	web /dang-nhap >/dev/null
	_tok=$(csrf)
	web /dang-nhap --data-urlencode "csrf=$_tok" \
	    --data-urlencode "login=$1" --data-urlencode "password=$2"
}

# audit_count ACTION [ACTOR]: records of the audit log with that action.
audit_count() {
	sql "SELECT count(*) FROM audit_log WHERE action = '$1'${2:+ AND actor = '$2'}"
}

step "init, users of each role"
server_init
ADMIN=$(sed -n 's/.*supervisor account: *//p' "$T/init.out" | head -n 1)
[ -n "$ADMIN" ] || ADMIN=admin
printf 'mat-khau-cua-lan-2025\n' >"$T/pw-lan"
printf 'mat-khau-giam-sat-02\n' >"$T/pw-ca"
chmod 600 "$T/pw-lan" "$T/pw-ca"
cg user add --login lan --role unit-it --unit "Phòng Kế toán" \
    --name "Nguyễn Thị Lan" --password-file "$T/pw-lan" >"$T/add.out" 2>&1 ||
    { cat "$T/add.out" >&2; fail "user add unit-it"; }
cg user add --login truong --role unit-head --unit "Phòng Kế toán" \
    --generate-password >>"$T/add.out" 2>&1 || fail "user add unit-head"
cg user add --login chutich --role viewer --generate-password \
    >>"$T/add.out" 2>&1 || fail "user add viewer"
cg user add --login canbo.ca --role supervisor --password-file "$T/pw-ca" \
    >>"$T/add.out" 2>&1 || fail "user add supervisor"
expect_file_has "$T/add.out" "CHỈ HIỆN MỘT LẦN" "a generated password"
# refused: a unit role without a unit, a bad login, a short password, twice
_rc=0
cg user add --login x --role unit-it --generate-password >/dev/null 2>&1 || _rc=$?
expect_eq "$_rc" 2 "user add unit-it without --unit"
_rc=0
cg user add --login "X'; DROP TABLE users;--" --role viewer \
    --generate-password >/dev/null 2>&1 || _rc=$?
expect_eq "$_rc" 2 "user add with a bad login"
printf 'ngan\n' >"$T/pw-short"
_rc=0
cg user add --login ngan --role viewer --password-file "$T/pw-short" \
    >/dev/null 2>"$T/short.err" || _rc=$?
expect_eq "$_rc" 1 "user add with a short password"
expect_file_has "$T/short.err" "at least 12" "short password"
_rc=0
cg user add --login lan --role viewer --generate-password >/dev/null 2>&1 ||
    _rc=$?
expect_eq "$_rc" 1 "user add of an existing login"
cg user list --json >"$T/users.json"
expect_eq "$(jq -r '[.[] | .role] | sort | join(",")' "$T/users.json")" \
    "supervisor,supervisor,unit-head,unit-it,viewer" "roles"
expect_eq "$(jq -r '.[] | select(.login == "lan") | .unit' "$T/users.json")" \
    "Phòng Kế toán" "unit of lan"
expect_eq "$(audit_count user.added)" 4 "user.added in the audit log"
server_start

step "brute force: five wrong passwords lock the account"
i=0
while [ $i -lt 5 ]; do
	expect_eq "$(signin lan "doan-mo-lan-$i-roi")" 200 "wrong password $i"
	expect_file_has "$B" "không đúng" "wrong password $i"
	i=$((i + 1))
done
cp "$B" "$T/wrong.html"
expect_eq "$(signin lan mat-khau-cua-lan-2025)" 200 "the right password while locked"
expect_file_has "$B" "không đúng" "the right password while locked"
[ -z "$(jar cg_session)" ] || fail "một phiên cho tài khoản bị khoá — a session for a locked account"
expect_eq "$(sql 'SELECT count(*) FROM sessions')" 0 "sessions while locked"
# the same page as a wrong password and as an unknown login
expect_eq "$(signin khong-co-ai mat-khau-cua-lan-2025)" 200 "unknown login"
for f in "$T/wrong.html" "$B"; do
	grep -v 'name="csrf"' "$f" | grep -v '<footer'
done >/dev/null
grep -v 'name="csrf"' "$T/wrong.html" | grep -v '<footer' >"$T/a.html"
grep -v 'name="csrf"' "$B" | grep -v '<footer' >"$T/b.html"
cmp -s "$T/a.html" "$T/b.html" ||
    fail "trang khác nhau cho tài khoản bị khoá và tên lạ — different pages for a locked account and an unknown login"
expect_eq "$(audit_count signin.failed lan)" 5 "signin.failed of lan"
expect_eq "$(audit_count user.locked lan)" 1 "user.locked of lan"
expect_eq "$(audit_count signin.refused lan)" 1 "signin.refused of lan"
expect_eq "$(audit_count signin.failed -)" 1 "signin.failed of an unknown login"
cg audit-log list --json --actor lan >"$T/audit-lan.json"
expect_eq "$(jq -r '.[0].action' "$T/audit-lan.json")" signin.refused "newest record of lan"
expect_eq "$(jq -r '[.[] | select(.action == "user.locked")][0].detail.lockouts' "$T/audit-lan.json")" 1 "lockouts"
cg user list --json >"$T/users.json"
expect_eq "$(jq -r '.[] | select(.login == "lan") | .state' "$T/users.json")" locked "state of lan"

step "unlock: the right password works again"
cg user unlock lan >/dev/null || fail "user unlock"
expect_eq "$(signin lan mat-khau-cua-lan-2025)" 303 "sign-in after unlock"
expect_eq "$(header Location)" /tong-quan "a unit IT officer goes to the overview"
expect_eq "$(web /nguoi-dung)" 403 "users page as a unit IT officer"
expect_eq "$(web /nhat-ky)" 403 "audit log as a unit IT officer"
expect_eq "$(audit_count user.unlocked)" 1 "user.unlocked in the audit log"

step "a supervisor without TOTP is sent to set it up"
expect_eq "$(signin canbo.ca mat-khau-giam-sat-02)" 303 "supervisor sign-in"
expect_eq "$(header Location)" /xac-thuc/thiet-lap "supervisor without TOTP"
PENDING=$(jar cg_session)
[ -n "$PENDING" ] || fail "không có phiên chờ — no pending session"
# nothing else is open before the second factor
expect_eq "$(web /tong-quan)" 303 "overview before TOTP"
expect_eq "$(header Location)" /xac-thuc "overview waits behind the second factor"
expect_eq "$(web /nguoi-dung)" 303 "users page before TOTP"
expect_eq "$(header Location)" /xac-thuc "users page waits behind the second factor"
expect_eq "$(web /xac-thuc)" 303 "the code page without a secret"
expect_eq "$(header Location)" /xac-thuc/thiet-lap "the code page sends to set-up"
expect_eq "$(web /xac-thuc/thiet-lap)" 200 "GET set-up"
expect_file_has "$B" "otpauth://totp/Canh%20G%C3%A1c:canbo.ca?secret=" "otpauth URI"
expect_file_has "$B" '<svg xmlns="http://www.w3.org/2000/svg" class="qr"' "QR code"
SECRET=$(sed -n 's/.*<code class="secret">\([A-Z2-7 ]*\)<\/code>.*/\1/p' "$B" | head -n 1 | tr -d ' ')
expect_eq "${#SECRET}" 32 "length of the base32 secret"
TOK=$(csrf)
# reloading shows the same secret until it is confirmed
expect_eq "$(web /xac-thuc/thiet-lap)" 200 "GET set-up again"
expect_file_has "$B" "$(echo "$SECRET" | cut -c1-4) " "the same pending secret"
expect_eq "$(web /xac-thuc/thiet-lap --data-urlencode "csrf=$TOK" \
    --data-urlencode "ma=000000")" 200 "a wrong confirmation code"
expect_file_has "$B" "đã được dùng" "wrong code message"
expect_eq "$(web /xac-thuc/thiet-lap --data-urlencode "ma=$(totp "$SECRET" 0)")" \
    403 "confirmation without the CSRF token"
expect_eq "$(web /xac-thuc/thiet-lap --data-urlencode "csrf=$TOK" \
    --data-urlencode "ma=$(totp "$SECRET" 0)")" 303 "confirm the code"
expect_eq "$(header Location)" /tong-quan "after set-up"
FULL=$(jar cg_session)
[ -n "$FULL" ] && [ "$FULL" != "$PENDING" ] ||
    fail "mã phiên không đổi sau xác thực hai bước — the session id did not change after the second factor"
expect_eq "$(web /tong-quan)" 200 "overview after set-up"
expect_eq "$(audit_count totp.enabled canbo.ca)" 1 "totp.enabled"
expect_eq "$(audit_count totp.confirm-failed canbo.ca)" 1 "totp.confirm-failed"
expect_eq "$(sql "SELECT totp_secret IS NOT NULL FROM users WHERE login = 'canbo.ca'")" 1 "secret stored"

step "the users page: add a user, disable; the audit log page"
expect_eq "$(web /nguoi-dung)" 200 "users page"
expect_file_has "$B" "Nguyễn Thị Lan" "users page lists lan"
TOK=$(csrf)
expect_eq "$(web /nguoi-dung --data-urlencode "csrf=$TOK" \
    --data-urlencode "op=add" --data-urlencode "login=hoa" \
    --data-urlencode "name=<script>alert(1)</script>" \
    --data-urlencode "role=unit-head" --data-urlencode "unit=Phòng Văn hoá")" \
    200 "add a user with a generated password"
expect_file_has "$B" "&lt;script&gt;alert(1)&lt;/script&gt;" "the name escaped"
if grep -q '<script>alert' "$B"; then
	fail "markup from a form rendered raw"
fi
expect_file_has "$B" 'class="secret"' "the generated password shown"
expect_eq "$(web /nguoi-dung --data-urlencode "csrf=$TOK" \
    --data-urlencode "op=disable" --data-urlencode "login=lan")" 303 "disable lan"
expect_eq "$(web /nguoi-dung --data-urlencode "csrf=$TOK" \
    --data-urlencode "op=disable" --data-urlencode "login=canbo.ca")" 400 "disable oneself"
expect_eq "$(web /nguoi-dung --data-urlencode "op=disable" \
    --data-urlencode "login=truong")" 403 "disable without the CSRF token"
expect_eq "$(web /nguoi-dung --data-urlencode "csrf=$TOK" \
    --data-urlencode "op=role" --data-urlencode "login=chutich" \
    --data-urlencode "role=unit-it")" 400 "a unit role without a unit"
expect_eq "$(web /nguoi-dung --data-urlencode "csrf=$TOK" \
    --data-urlencode "op=disable" --data-urlencode "login=khong-co-ai")" 404 "an unknown user"
expect_eq "$(web '/nhat-ky?kiem-tra=1')" 200 "audit log page"
expect_file_has "$B" "Chuỗi băm nguyên vẹn" "the chain verified on the page"
expect_file_has "$B" "user.disabled" "user.disabled on the page"
expect_eq "$(web "/nhat-ky?nguoi=%27%20OR%201%3D1%20--")" 200 "SQL metacharacters in a filter"
expect_file_has "$B" "Không có bản ghi nào" "no record for a metacharacter filter"
expect_eq "$(web '/nhat-ky?truoc=abc')" 400 "a malformed page"
expect_eq "$(audit_count user.added canbo.ca)" 1 "user.added by the supervisor"
expect_eq "$(sql "SELECT addr FROM audit_log WHERE action = 'user.disabled'")" 127.0.0.1 "address in the audit log"

step "sign out; sign in again needs a code; a replayed code is refused"
TOK=$(csrf)
expect_eq "$(web /dang-xuat --data-urlencode "csrf=$TOK")" 303 "sign out"
expect_eq "$(signin canbo.ca mat-khau-giam-sat-02)" 303 "supervisor sign-in with TOTP"
expect_eq "$(header Location)" /xac-thuc "sent to the code"
expect_eq "$(web /tong-quan)" 303 "overview before the code"
expect_eq "$(header Location)" /xac-thuc "overview sends to the code"
expect_eq "$(web /xac-thuc/thiet-lap)" 303 "no new secret while one is set"
expect_eq "$(header Location)" /xac-thuc "set-up sends to the code"
expect_eq "$(web /xac-thuc)" 200 "GET the code page"
TOK=$(csrf)
# the next step's code: later than the one that confirmed the set-up
# and still inside the window of one step
CODE=$(totp "$SECRET" 30)
expect_eq "$(web /xac-thuc --data-urlencode "csrf=$TOK" \
    --data-urlencode "ma=$CODE")" 303 "the code"
expect_eq "$(header Location)" /tong-quan "after the code"
expect_eq "$(web /nguoi-dung)" 200 "users page as a supervisor"
TOK=$(csrf)
expect_eq "$(web /dang-xuat --data-urlencode "csrf=$TOK")" 303 "sign out again"
expect_eq "$(signin canbo.ca mat-khau-giam-sat-02)" 303 "sign-in for the replay"
web /xac-thuc >/dev/null
TOK=$(csrf)
expect_eq "$(web /xac-thuc --data-urlencode "csrf=$TOK" \
    --data-urlencode "ma=$CODE")" 200 "a replayed code"
expect_file_has "$B" "đã được dùng" "replayed code message"
expect_eq "$(web /tong-quan)" 303 "overview after a replayed code"
expect_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'signin.totp-failed' AND detail LIKE '%replay%'")" 1 "the replay in the audit log"
cg user reset-totp canbo.ca >/dev/null || fail "user reset-totp"
expect_eq "$(sql "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.login = 'canbo.ca'")" 0 "reset-totp ends the sessions"
expect_eq "$(signin lan mat-khau-cua-lan-2025)" 200 "a disabled account"
expect_file_has "$B" "không đúng" "a disabled account"

step "audit-log verify: intact, then an edited record is named"
cg audit-log verify >"$T/verify.out" 2>&1 || { cat "$T/verify.out" >&2; fail "audit-log verify on an intact log"; }
expect_file_has "$T/verify.out" "the audit log is intact" "verify"
# UPDATE and DELETE refused by the triggers
if sqlite3 "$D/store.db" "UPDATE audit_log SET actor = 'x' WHERE id = 3" 2>"$T/trigger.err"; then
	fail "UPDATE của nhật ký kiểm toán được chấp nhận — UPDATE of the audit log accepted"
fi
expect_file_has "$T/trigger.err" "append-only" "UPDATE refused"
if sqlite3 "$D/store.db" "DELETE FROM audit_log WHERE id = 3" 2>/dev/null; then
	fail "DELETE của nhật ký kiểm toán được chấp nhận — DELETE of the audit log accepted"
fi
server_stop
# the attacker drops the triggers and edits record 7
sqlite3 "$D/store.db" "DROP TRIGGER audit_log_no_update;
    UPDATE audit_log SET detail = '{\"reason\":\"nothing\"}' WHERE id = 7" ||
    fail "sqlite3 edit"
_rc=0
cg audit-log verify >"$T/verify.out" 2>&1 || _rc=$?
expect_eq "$_rc" 1 "audit-log verify on an edited log"
expect_file_has "$T/verify.out" "bị hỏng tại bản ghi số 7" "verify (vi)"
expect_file_has "$T/verify.out" "broken at record 7" "verify (en)"
expect_file_has "$T/verify.out" "was edited" "verify says what"
cg audit-log verify --json >"$T/verify.json" 2>&1 || true
expect_eq "$(jq -r .broken_id "$T/verify.json")" 7 "broken_id"
expect_eq "$(jq -r .problem "$T/verify.json")" edited "problem"

passed
