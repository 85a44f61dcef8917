#!/bin/sh
# 090-console-workflow.sh — the console's acting pages over TLS with real
# agents (src/server/page_findings.c, page_workflow.c, page_tokens.c,
# export.c): findings by check, the workflow of a finding (assign, accept
# a risk, claim a fix — confirmed or cleared by the next report —,
# acknowledge), who may do what, the enrolment tokens and the CSV/XLSX
# exports. Two units (one named with markup), the weak fixture and a
# made-up host in unit 1, the hostile fixture (markup in its host name and
# package names) in unit 2. A unit IT officer and a unit head of unit 1,
# an IT officer of unit 2, a viewer, and the supervisor of `canhgac init`
# (given a session directly in the store, so that this test does not
# depend on the second factor, which 070-people.sh tests). Checks: the
# unit scope (another unit's host, filter, token or export is 404, as an
# unknown one), the roles (403), CSRF, the audit log, nothing from the
# agents unescaped, SQL and LIKE metacharacters in filters harmless,
# formula injection defused in CSV, XLSX with strings only.
# shellcheck shell=sh disable=SC1111
. "$(dirname "$0")/lib.sh"

# web JAR PATH [CURL OPTIONS...]: one request with a cookie jar.
web() {
	console "$@"
}

# signin JAR LOGIN PASSWORD: signs in; the CSRF token of the session is
# left in $T/csrf.<jar name>.
signin() {
	: >"$1"
	expect_eq "$(web "$1" /dang-nhap)" 200 "GET /dang-nhap ($2)"
	_tok=$(csrf)
	expect_eq "$(web "$1" /dang-nhap --data-urlencode "csrf=$_tok" \
	    --data-urlencode "login=$2" --data-urlencode "password=$3")" 303 \
	    "POST /dang-nhap ($2)"
	expect_eq "$(web "$1" /tieu-chi)" 200 "GET /tieu-chi ($2)"
	csrf >"$1.csrf"
}

# post JAR PATH FIELDS...: a form POST with the session's CSRF token.
post() {
	_j=$1
	_p=$2
	shift 2
	_n=$#
	set -- "$@" --data-urlencode "csrf=$(cat "$_j.csrf")"
	while [ "$_n" -gt 0 ]; do
		set -- "$@" --data-urlencode "$1"
		shift
		_n=$((_n - 1))
	done
	web "$_j" "$_p" "$@"
}

# no_markup WHAT: the last page has no script element, no event handler
# and none of the hostile strings unescaped.
no_markup() {
	if grep -qi '<script' "$B"; then
		fail "$1: có thẻ script — a script tag: $(grep -oi '.\{40\}<script.\{40\}' "$B" | head -n 1)"
	fi
	if grep -q '<b>Văn' "$B"; then
		fail "$1: tên đơn vị không được thoát — the unit name is not escaped"
	fi
	if grep -q 'evil"><' "$B"; then
		fail "$1: tên gói không được thoát — a package name is not escaped"
	fi
	if sed 's/"[^"]*"//g' "$B" | grep -qiE '<[a-z][^<>]*[[:space:]]on[a-z]+='; then
		fail "$1: có thuộc tính sự kiện — an event handler attribute"
	fi
	if grep -qi '<img\|<iframe' "$B"; then
		fail "$1: có thẻ img/iframe — an img or iframe tag"
	fi
}

page_ok() {
	expect_eq "$(web "$1" "$2")" 200 "$3: GET $2"
	case "$(header Content-Security-Policy)" in
	*unsafe-inline*|"") fail "$3: CSP “$(header Content-Security-Policy)”" ;;
	esac
	no_markup "$3: $2"
}

# audited ACTION: rows of the audit log (or, before it, of the event log
# through web_audit) for a console action.
audited() {
	# what people did in the console (canhgac's own records are cli:…)
	_n=$(sql "SELECT count(*) FROM audit_log WHERE (action = '$1'
	    OR action = 'console.$1') AND actor NOT LIKE 'cli:%'" 2>/dev/null ||
	    echo 0)
	_e=$(sql "SELECT count(*) FROM events WHERE kind = 'console.$1'")
	echo $((_n + _e))
}

state() {
	sql "SELECT $1 FROM finding_workflow w JOIN hosts h ON h.hid = w.hid
	    WHERE h.id = '$2' AND w.check_id = '$3'"
}

UNIT1="Phòng Kế toán"
UNIT2='Phòng <b>Văn hóa</b> & "Xã hội"'

step "init; two units, their tokens and users"
server_init
ADMIN=$(sed -n 's/.*supervisor account: *//p' "$T/init.out" | head -n 1)
[ -n "$ADMIN" ] || ADMIN=admin
token_create "$UNIT1" --uses 5
TOKEN1=$TOKEN
token_create "$UNIT2"
TOKEN2=$TOKEN
printf 'Mat-khau-thu-2026!\n' >"$T/pw"
chmod 600 "$T/pw"
PW=$(cat "$T/pw")
adduser() {
	cg user add --login "$1" --role "$2" ${3:+--unit "$3"} --name "$4" \
	    --password-file "$T/pw" >"$T/user-$1.out" 2>&1 ||
	    { cat "$T/user-$1.out" >&2; fail "canhgac user add $1"; }
}
adduser it1 unit-it "$UNIT1" "Cán bộ CNTT Kế toán"
adduser head1 unit-head "$UNIT1" "Trưởng phòng Kế toán"
adduser it2 unit-it "$UNIT2" "Cán bộ CNTT Văn hóa"
adduser xem viewer "" "Lãnh đạo phường"
U1=$(sql "SELECT id FROM units WHERE name = 'Phòng Kế toán'")
U2=$(sql "SELECT id FROM units WHERE name LIKE 'Phòng <b>%'")
UID_HEAD1=$(sql "SELECT id FROM users WHERE login = 'head1'")
UID_IT2=$(sql "SELECT id FROM users WHERE login = 'it2'")
UID_ADMIN=$(sql "SELECT id FROM users WHERE login = '$ADMIN'")
[ -n "$U1" ] && [ -n "$U2" ] && [ -n "$UID_ADMIN" ] ||
    fail "không thấy đơn vị hoặc người dùng — units or users missing"
server_start

console_agents
# host 3 allows root over SSH: the check that says so fails, and will
# pass once sshd_config says no
C3=$(sql "SELECT f.check_id FROM findings f JOIN hosts h ON h.hid = f.hid
    WHERE h.id = '$H3' AND f.status = 'fail' AND f.check_id LIKE '%root%'
    ORDER BY f.check_id LIMIT 1")
[ -n "$C3" ] || fail "host 3 không có phát hiện SSH root — no failing SSH root check"
# and another failing check of host 3 for the risk acceptance
C4=$(sql "SELECT f.check_id FROM findings f JOIN hosts h ON h.hid = f.hid
    WHERE h.id = '$H3' AND f.status = 'fail' AND f.check_id != '$C3'
    ORDER BY f.check_id LIMIT 1")
[ -n "$C4" ] || fail "host 3 chỉ có một phát hiện — only one failing check"
# a check failing on the hostile host of unit 2
C2=$(sql "SELECT f.check_id FROM findings f JOIN hosts h ON h.hid = f.hid
    WHERE h.id = '$H2' AND f.status = 'fail' ORDER BY f.check_id LIMIT 1")
[ -n "$C2" ] || fail "máy hostile không có phát hiện — the hostile host fails nothing"

step "sign in: IT officers, unit head, viewer; the supervisor's session"
J1=$T/it1.jar
JH=$T/head1.jar
J2=$T/it2.jar
JV=$T/xem.jar
JS=$T/admin.jar
signin "$J1" it1 "$PW"
signin "$JH" head1 "$PW"
signin "$J2" it2 "$PW"
signin "$JV" xem "$PW"
# The supervisor must use a second factor (070-people.sh): here the
# session is written into the store as web.c would after it.
python3 - "$T/admin.cookie" "$T/admin.hash" <<'PY'
import base64, hashlib, os, sys
raw = os.urandom(32)
open(sys.argv[1], "w").write(base64.urlsafe_b64encode(raw).decode().rstrip("="))
open(sys.argv[2], "w").write(hashlib.sha256(raw).hexdigest())
PY
SCSRF=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
sqlite3 -batch -cmd '.timeout 10000' "$D/store.db" "
    UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP'
     WHERE id = $UID_ADMIN;
    INSERT INTO sessions(hash, user_id, csrf, mfa_pending, created,
     last_used, expires, addr) VALUES ('$(cat "$T/admin.hash")',
     $UID_ADMIN, '$SCSRF', 0, strftime('%s', 'now'),
     strftime('%s', 'now'), strftime('%s', 'now') + 3600, '127.0.0.1');" ||
    fail "sqlite3: the supervisor's session"
printf '127.0.0.1\tFALSE\t/\tTRUE\t0\tcg_session\t%s\n' \
    "$(cat "$T/admin.cookie")" >"$JS"
printf '%s' "$SCSRF" >"$JS.csrf"
expect_eq "$(web "$JS" /tieu-chi)" 200 "GET /tieu-chi (supervisor)"

step "findings by check: scope, escaping, filters"
page_ok "$JV" /tieu-chi viewer
cp "$B" "$T/findings-viewer.html"
expect_file_has "$B" "href=\"/tieu-chi/$C3\"" "viewer: the SSH check"
expect_file_has "$B" "href=\"/may/$H2\"" "viewer: the hostile host"
expect_file_has "$B" '&lt;script&gt;alert(&quot;host&quot;)&lt;/script&gt;' "viewer: the hostile host name escaped"
page_ok "$J1" /tieu-chi it1
cp "$B" "$T/findings-it1.html"
expect_file_has "$B" "href=\"/may/$H3\"" "it1: host 3"
if grep -q "href=\"/may/$H2\"" "$B"; then
	fail "it1: /tieu-chi lists the host of unit 2"
fi
expect_eq "$(web "$J1" "/tieu-chi?don-vi=$U2")" 404 "it1: another unit's filter"
expect_eq "$(web "$J1" "/tieu-chi?don-vi=999999")" 404 "it1: an unknown unit's filter"
expect_eq "$(web "$J1" "/tieu-chi/$C2?don-vi=$U2")" 404 "it1: a check in another unit"
page_ok "$J1" "/tieu-chi?don-vi=$U1&muc=3&muc-do=high" "it1: own unit, point, severity"
page_ok "$JV" "/tieu-chi?don-vi=$U2" "viewer: unit 2"
if grep -q "href=\"/may/$H3\"" "$B"; then
	fail "viewer: the filter of unit 2 lists host 3"
fi
for q in "muc-do=%27%20OR%201%3D1--" "don-vi=1%20OR%201%3D1" "muc=9" \
    "muc=3%3B%20DROP%20TABLE%20findings" "trang=-1" "tieu-chi=%25%27%22"; do
	expect_eq "$(web "$JV" "/tieu-chi?$q")" 400 "viewer: /tieu-chi?$q"
	no_markup "/tieu-chi?$q"
done
expect_eq "$(sql 'SELECT count(*) > 0 FROM findings')" 1 "findings still there"
expect_eq "$(web "$JV" "/tieu-chi?so=201")" 400 "more than 200 rows a page"
page_ok "$JV" "/tieu-chi?so=1" "one check a page"
expect_eq "$(grep -o 'href="/tieu-chi/[^"]*"' "$B" | sort -u | wc -l)" 1 "one check on the page"
expect_file_has "$B" 'so=1&amp;trang=2' "the next page keeps the page size"
page_ok "$JV" "/tieu-chi?so=1&trang=2" "page 2"
expect_file_has "$B" 'rel="prev"' "page 2 links back"
page_ok "$J1" "/tieu-chi/$C3" "it1: the SSH check"
expect_file_has "$B" "href=\"/may/$H3/phat-hien/$C3\"" "it1: the finding of host 3"
expect_eq "$(web "$J1" "/tieu-chi/khong-co-tieu-chi-nay")" 404 "an unknown check"
expect_eq "$(web "$J1" "/tieu-chi/%3Cscript%3E")" 404 "markup as a check"
page_ok "$JV" "/tieu-chi/$C2" "viewer: a check of the hostile host"
expect_file_has "$B" '&lt;script&gt;alert(&quot;host&quot;)&lt;/script&gt;' "viewer: the hostile host name escaped on a check"

step "a finding: who sees it, who may act"
page_ok "$J1" "/may/$H3/phat-hien/$C3" "it1: a finding"
cp "$B" "$T/finding-it1.html"
expect_file_has "$B" 'value="assign"' "it1: the assign form"
expect_file_has "$B" 'value="accept"' "it1: the accept form"
expect_file_has "$B" 'value="fixed"' "it1: the fixed form"
if grep -q 'value="ack"' "$B"; then
	fail "it1: an IT officer is offered the acknowledgement"
fi
page_ok "$JH" "/may/$H3/phat-hien/$C3" "head1: a finding"
expect_file_has "$B" 'value="ack"' "head1: the ack form"
if grep -q 'value="assign"' "$B"; then
	fail "head1: a unit head is offered the assignment"
fi
page_ok "$JV" "/may/$H3/phat-hien/$C3" "viewer: a finding"
if grep -q 'name="action"' "$B"; then
	fail "viewer: a viewer is offered a form"
fi
expect_eq "$(web "$J1" "/may/$H2/phat-hien/$C2")" 404 "it1: a finding of unit 2"
expect_eq "$(web "$J1" "/may/khong-co/phat-hien/$C2")" 404 "it1: an unknown host"
expect_eq "$(web "$J1" "/may/$H3/phat-hien/khong-co")" 404 "it1: an unknown check"
page_ok "$JV" "/may/$H2/phat-hien/$C2" "viewer: the hostile finding"
expect_file_has "$B" '&lt;script&gt;alert(&quot;host&quot;)&lt;/script&gt;' "viewer: the hostile host name escaped on its finding"

step "workflow: refused actions"
F3=/may/$H3/phat-hien/$C3
expect_eq "$(web "$J1" "$F3" --data-urlencode action=fixed)" 403 "POST without the CSRF token"
expect_eq "$(web "$J1" "$F3" --data-urlencode action=fixed --data-urlencode csrf=x)" 403 "POST with a wrong CSRF token"
expect_eq "$(post "$J2" "/may/$H3/phat-hien/$C3" action=fixed)" 404 "it2: a finding of unit 1"
expect_eq "$(post "$J1" "/may/$H2/phat-hien/$C2" action=fixed)" 404 "it1: a finding of unit 2"
expect_eq "$(post "$JV" "$F3" action=ack)" 403 "viewer: ack"
expect_eq "$(post "$JH" "$F3" action=fixed)" 403 "head1: fixed"
expect_eq "$(post "$JH" "$F3" action=assign "user=$UID_HEAD1")" 403 "head1: assign"
expect_eq "$(post "$J1" "$F3" action=ack)" 403 "it1: ack"
expect_eq "$(post "$J1" "$F3" action=delete)" 400 "an unknown action"
expect_eq "$(post "$J1" "$F3" action=assign "user=$UID_IT2")" 400 "it1: assign to unit 2's officer"
expect_eq "$(post "$J1" "$F3" action=assign "user=1 OR 1=1")" 400 "it1: SQL as a user id"
expect_eq "$(post "$J1" "/may/$H3/phat-hien/$C4" action=accept "reason=ngắn" \
    "until=$(date -u -d '+30 days' +%F)")" 400 "accept: a reason too short"
expect_eq "$(post "$J1" "/may/$H3/phat-hien/$C4" action=accept \
    "reason=Máy này sẽ được thay trong quý tới." \
    "until=$(date -u -d '+400 days' +%F)")" 400 "accept: more than a year ahead"
expect_eq "$(post "$J1" "/may/$H3/phat-hien/$C4" action=accept \
    "reason=Máy này sẽ được thay trong quý tới." "until=2020-01-01")" 400 "accept: in the past"
expect_eq "$(post "$J1" "/may/$H3/phat-hien/$C4" action=accept \
    "reason=Máy này sẽ được thay trong quý tới." "until=2026-02-30")" 400 "accept: no such date"
expect_eq "$(sql 'SELECT count(*) FROM finding_workflow')" 0 "no workflow row after refused actions"

step "workflow: assign, accept, acknowledge"
expect_eq "$(post "$J1" "$F3" action=assign "user=$UID_HEAD1" "next=$F3")" 303 "it1: assign to head1"
expect_eq "$(header Location)" "$F3?done=assign" "after assign"
expect_eq "$(state assignee_id "$H3" "$C3")" "$UID_HEAD1" "the assignee"
expect_eq "$(audited finding.assign)" 1 "the audit log: assign"
expect_eq "$(post "$J1" "/may/$H3/phat-hien/$C4" action=accept \
    'reason=Máy này sẽ được thay trong quý tới; <script>x</script>' \
    "until=$(date -u -d '+30 days' +%F)" "next=/may/$H3/phat-hien/$C4")" 303 "it1: accept the risk"
expect_eq "$(audited finding.accept)" 1 "the audit log: accept"
page_ok "$J1" "/may/$H3/phat-hien/$C4" "it1: the accepted finding"
expect_file_has "$B" "Rủi ro được chấp nhận" "accepted: the state"
expect_file_has "$B" "&lt;script&gt;x&lt;/script&gt;" "accepted: the reason escaped"
expect_eq "$(post "$JH" "$F3" action=ack)" 303 "head1: acknowledge"
expect_eq "$(audited finding.ack)" 1 "the audit log: ack"
[ "$(state ack_by "$H3" "$C3")" = head1 ] || fail "ack_by"
expect_eq "$(post "$JS" "/may/$H2/phat-hien/$C2" action=assign "user=$UID_IT2")" 303 "supervisor: assign in unit 2"
# an accepted risk past its date is open again
sqlite3 -batch -cmd '.timeout 10000' "$D/store.db" "UPDATE finding_workflow
    SET accepted_until = strftime('%s', 'now') - 60 WHERE check_id = '$C4'"
page_ok "$J1" "/may/$H3/phat-hien/$C4" "it1: the expired acceptance"
expect_file_has "$B" "Chưa xử lý xong" "expired acceptance: open again"

step "workflow: a fix claimed, contradicted by the next report, then confirmed"
expect_eq "$(post "$J1" "$F3" action=fixed)" 303 "it1: fixed"
expect_eq "$(audited finding.fixed)" 1 "the audit log: fixed"
page_ok "$J1" "$F3" "it1: claimed"
expect_file_has "$B" "Báo đã khắc phục, chờ xác nhận" "claimed: the state"
# the claim a few seconds older than it is, so that the next report is
# later whatever the clock's second (times are whole seconds)
sqlite3 -batch -cmd '.timeout 10000' "$D/store.db" "UPDATE finding_workflow
    SET fixed_at = fixed_at - 5 WHERE check_id = '$C3'"
agent_once 3 || fail "agent 3 run --once (2)"
page_ok "$J1" "$F3" "it1: the claim cleared"
cp "$B" "$T/finding-cleared.html"
expect_file_has "$B" "báo cáo mới vẫn không đạt" "cleared: the state"
expect_file_has "$B" "bỏ báo đã khắc phục" "cleared: the history says so"
page_ok "$J1" "/tieu-chi/$C3" "it1: the check after the cleared claim"
expect_file_has "$B" "báo cáo mới vẫn không đạt" "cleared: on the check page"
expect_eq "$(post "$J1" "$F3" action=fixed)" 303 "it1: fixed again"
sqlite3 -batch -cmd '.timeout 10000' "$D/store.db" "UPDATE finding_workflow
    SET fixed_at = fixed_at - 5 WHERE check_id = '$C3'"
printf 'PermitRootLogin no\nPasswordAuthentication no\n' \
    >"$T/a3/root/etc/ssh/sshd_config"
agent_once 3 || fail "agent 3 run --once (3)"
expect_eq "$(sql "SELECT resolved > 0 FROM findings f JOIN hosts h ON
    h.hid = f.hid WHERE h.id = '$H3' AND f.check_id = '$C3'")" 1 "the SSH finding resolved"
page_ok "$J1" "$F3" "it1: the fix confirmed"
expect_file_has "$B" "Đã khắc phục" "confirmed: the state"
expect_eq "$(post "$J1" "$F3" action=fixed)" 400 "fixed on a resolved finding"

step "exports: scope, CSV defused, XLSX strings"
expect_eq "$(web "$J1" /xuat/may.csv)" 200 "it1: hosts CSV"
cp "$B" "$T/may-it1.csv"
case "$(header Content-Type)" in text/csv*) ;; *) fail "CSV content type “$(header Content-Type)”" ;; esac
case "$(header Content-Disposition)" in attachment*) ;; *) fail "CSV disposition" ;; esac
[ "$(head -c 3 "$B" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "CSV without a BOM"
expect_file_has "$B" "$H1" "it1: hosts CSV has host 1"
expect_file_has "$B" "Phòng Kế toán" "it1: Vietnamese intact"
if grep -q "$H2" "$B"; then fail "it1: hosts CSV has the host of unit 2"; fi
expect_eq "$(web "$J1" "/xuat/may.csv?don-vi=$U2")" 404 "it1: hosts CSV of unit 2"
expect_eq "$(web "$J1" "/xuat/phat-hien.xlsx?don-vi=$U2")" 404 "it1: findings XLSX of unit 2"
expect_eq "$(web "$J1" "/xuat/phat-hien.csv?may=$H2")" 404 "it1: findings CSV of the host of unit 2"
expect_eq "$(web "$J1" "/xuat/may.csv?q=%25%27%22_%5C")" 200 "LIKE and SQL metacharacters in q"
expect_eq "$(grep -c . "$B")" 1 "q=%'\"_\\ matches no host (the header only)"
expect_eq "$(web "$J1" "/xuat/may.csv?q=ma")" 200 "q=ma"
[ "$(grep -c . "$B")" -ge 2 ] || fail "q=ma: no host"
expect_eq "$(web "$JV" /xuat/phat-hien.csv?tat-ca=1)" 200 "viewer: findings CSV"
cp "$B" "$T/phat-hien-viewer.csv"
expect_file_has "$B" '<script>alert(""host"")</script>' "viewer: the hostile host name in CSV, quoted"
# no cell starts with a formula character unless defused by a quote
if tr -d '\r' <"$B" | grep -qE '(^|,)[=+@-]'; then
	fail "a CSV cell starts with = + - @: $(tr -d '\r' <"$B" | grep -oE '(^|,)[=+@-].{0,30}' | head -n 1)"
fi
expect_eq "$(web "$JV" /xuat/phat-hien.xlsx)" 200 "viewer: findings XLSX"
cp "$B" "$T/phat-hien.xlsx"
[ "$(head -c 2 "$B")" = PK ] || fail "XLSX is not a zip"
if command -v unzip >/dev/null 2>&1; then
	unzip -p "$T/phat-hien.xlsx" xl/worksheets/sheet1.xml >"$T/sheet1.xml" ||
	    fail "unzip sheet1.xml"
	if grep -q '<f>\|<f ' "$T/sheet1.xml"; then fail "XLSX has a formula"; fi
	expect_file_has "$T/sheet1.xml" '&lt;script&gt;alert(' "XLSX: the hostile host name as text"
	expect_file_has "$T/sheet1.xml" 'Tình trạng xử lý' "XLSX: the Vietnamese header"
fi
expect_eq "$(web "$J1" /xuat/may.xlsx)" 200 "it1: hosts XLSX"
[ "$(head -c 2 "$B")" = PK ] || fail "hosts XLSX is not a zip"
expect_eq "$(web "$J1" "/xuat/phat-hien.csv?muc-do=%27")" 400 "a bad severity in an export"
[ -z "$(ls -A "$D/tmp" 2>/dev/null)" ] || fail "temp files left in $D/tmp: $(ls "$D/tmp")"

step "enrolment tokens"
expect_eq "$(web "$JH" /ma-dang-ky)" 403 "head1: tokens"
expect_eq "$(web "$JV" /ma-dang-ky)" 403 "viewer: tokens"
page_ok "$J1" /ma-dang-ky "it1: tokens"
T1=$(sql "SELECT id FROM tokens WHERE unit_id = $U1 LIMIT 1")
T2=$(sql "SELECT id FROM tokens WHERE unit_id = $U2 LIMIT 1")
expect_file_has "$B" "<tr id=\"t-$T1\">" "it1: the token of unit 1"
expect_file_has "$B" "name=\"id\" value=\"$T1\"" "it1: the revoke form of the token of unit 1"
if grep -q "<tr id=\"t-$T2\">" "$B"; then fail "it1: lists the token of unit 2"; fi
expect_eq "$(post "$J1" /ma-dang-ky action=create expires=7d uses=2 \
    'note=<b>ghi chú</b>')" 200 "it1: create a token"
cp "$B" "$T/token-created.html"
no_markup "token created"
NEWTOK=$(grep -o 'cg1_[A-Za-z0-9_-]*' "$B" | head -n 1)
[ -n "$NEWTOK" ] || fail "no token shown"
expect_file_has "$B" "canhgac-agent enroll --server $URL --token $NEWTOK --ca-fingerprint $FPR" "the enroll command"
expect_file_has "$B" "&lt;b&gt;ghi chú&lt;/b&gt;" "the note escaped"
expect_eq "$(sql "SELECT count(*) FROM tokens WHERE unit_id = $U1")" 2 "tokens of unit 1"
expect_eq "$(audited token.created)" 1 "the audit log: token created"
# the token is kept only as its hash
expect_eq "$(sql "SELECT count(*) FROM tokens WHERE hash LIKE 'cg1_%'")" 0 "no token in the clear"
if grep -rqF "$NEWTOK" "$T/canhgacd.log"; then fail "the token is in canhgacd's log"; fi
TOKEN=$NEWTOK
TOKEN_FPR=$FPR
agent_root 4
agent_conf 4
agent_enroll 4
H4=$(agent_json 4 host_id)
expect_eq "$(sql "SELECT unit_id FROM hosts WHERE id = '$H4'")" "$U1" "agent 4 in unit 1"
expect_eq "$(post "$J1" /ma-dang-ky action=create expires=7d uses=1 "unit=$U2")" 404 "it1: a token for unit 2"
expect_eq "$(post "$J1" /ma-dang-ky action=create expires=7d uses=1 "new_unit=Phòng mới")" 403 "it1: a new unit"
expect_eq "$(post "$J1" /ma-dang-ky action=create expires=365d uses=1)" 400 "it1: a year"
expect_eq "$(post "$J1" /ma-dang-ky action=create expires=7d uses=0)" 400 "it1: no use"
expect_eq "$(post "$J1" /ma-dang-ky action=revoke "id=$T2")" 404 "it1: revoke the token of unit 2"
expect_eq "$(post "$J1" /ma-dang-ky action=revoke "id=999999")" 404 "it1: revoke an unknown token"
expect_eq "$(sql "SELECT revoked FROM tokens WHERE id = $T2")" 0 "the token of unit 2 untouched"
expect_eq "$(post "$J1" /ma-dang-ky action=revoke "id=$T1")" 303 "it1: revoke own"
expect_eq "$(sql "SELECT revoked FROM tokens WHERE id = $T1")" 1 "revoked"
expect_eq "$(audited token.revoked)" 1 "the audit log: token revoked"
expect_eq "$(web "$J2" /ma-dang-ky)" 200 "it2: tokens"
expect_file_has "$B" "<tr id=\"t-$T2\">" "it2: the token of unit 2"
if grep -q "<tr id=\"t-$T1\">" "$B"; then fail "it2: lists the token of unit 1"; fi
expect_eq "$(post "$JS" /ma-dang-ky action=create expires=1d uses=3 "unit=$U2")" 200 "supervisor: a token for unit 2"
expect_eq "$(post "$JS" /ma-dang-ky action=create expires=1d uses=1 'new_unit=Ban Chỉ huy Quân sự')" 200 "supervisor: a token for a new unit"
expect_eq "$(sql "SELECT count(*) FROM units WHERE name = 'Ban Chỉ huy Quân sự'")" 1 "the new unit"
expect_eq "$(post "$JS" /ma-dang-ky action=create expires=1d uses=1 unit=999999)" 400 "supervisor: an unknown unit"

step "the server is well"
integrity_ok
server_stop
passed
