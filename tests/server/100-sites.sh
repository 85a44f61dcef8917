#!/bin/sh
# 100-sites.sh — the portal monitor as canhgacd's scheduled job (issue 6,
# src/server/sitejob.c, store_sqlite_site.c): the test ward portal
# (build/tests/portal, as tests/site/run.sh starts it) registered for a
# unit with `canhgac site add`, its baseline learnt with `canhgac site
# baseline` into DATA/sites, then canhgacd (site-resolve, site-dns-server
# and a 1 s scan in canhgacd.conf: the loopback portal) checks it: the
# portal turned to its gambling variant gives an open site-spam finding
# of the site's host in that unit with "nổ hũ" in its evidence and a
# site.alert event; back to normal (and made due again by adding it
# anew), the finding is resolved. The console lists the site's host and
# opens its page and its finding (the id "site:http://…" is one
# percent-encoded path segment). The audit log has what the people did.
# shellcheck shell=sh disable=SC1111
. "$(dirname "$0")/lib.sh"

PORTAL=${PORTAL:-$CG_SRC/build/tests/portal}
[ -x "$PORTAL" ] || {
	echo "thiếu chương trình $PORTAL — missing program (make" \
	    "build/tests/portal)" >&2
	exit 2
}
command -v jq >/dev/null || { echo "thiếu / missing: jq" >&2; exit 2; }
UNIT="Phòng Văn hóa"
OTHER="Phòng Tư pháp"

step "cổng thông tin thử nghiệm — the test portal"
P=$T/portal
mkdir -p "$P"
"$PORTAL" --state "$P" --port-file "$P/port" --dns-port-file "$P/dns-port" \
    --log "$P/access.log" >"$P/portal.log" 2>&1 &
track $!
poll 30 test -s "$P/dns-port" || fail "portal không khởi động — did not start"
poll 30 test -s "$P/port" || fail "portal không khởi động — did not start"
PPORT=$(cat "$P/port")
DNSPORT=$(cat "$P/dns-port")
KEY=$(cat "$P/control.key")
BASE=http://portal.thaihoa.test:$PPORT
HOME_URL=$BASE/
KEY_URL=$BASE/gioi-thieu.html
ORIGIN=$BASE
HOST_ID=site:$ORIGIN

ctl() {
	_r=$(curl -sS --noproxy '*' --max-time 10 \
	    --resolve "portal.thaihoa.test:$PPORT:127.0.0.1" \
	    "$BASE/__control/$1?key=$KEY") || fail "portal: /__control/$1"
	case $_r in ok*) ;; *) fail "portal: /__control/$1: $_r" ;; esac
}

step "canhgac init, site add — the registry"
server_init
server_conf site-resolve "portal.thaihoa.test:$PPORT:127.0.0.1"
server_conf site-dns-server "127.0.0.1:$DNSPORT"
server_conf site-scan-every 1s
cg site add --unit "$UNIT" --interval 1h "$HOME_URL" "$KEY_URL" \
    >"$T/add.out" 2>&1 || { cat "$T/add.out" >&2; fail "site add"; }
cg site add --unit "$OTHER" "$BASE/lien-he.html" >"$T/add2.out" 2>&1 &&
    fail "site add: một nguồn của hai đơn vị — one origin in two units"
cg site list --json >"$T/list.json" || fail "site list --json"
expect_eq "$(jq -r --arg u "$UNIT" '[.[] | select(.unit == $u)] | length' \
    "$T/list.json")" 2 "site list: trang của đơn vị — the unit's sites"
expect_eq "$(jq -r '.[0].interval' "$T/list.json")" 3600 "site list: interval"
cg site list --unit "$OTHER" --json >"$T/list2.json" || fail "site list --unit"
expect_eq "$(jq length "$T/list2.json")" 0 "site list --unit $OTHER"
cg site add --unit "$UNIT" --interval 30s "$HOME_URL" >/dev/null 2>&1 &&
    fail "site add --interval 30s: dưới 1m — under 1m"

step "site baseline — học mốc vào DATA/sites"
cg site baseline "$HOME_URL" "$KEY_URL" >"$T/baseline.out" 2>&1 || {
	cat "$T/baseline.out" >&2
	fail "site baseline"
}
[ "$(find "$D/sites" -name '*.json' | wc -l)" -eq 2 ] ||
    fail "DATA/sites: cần 2 tệp trạng thái — needs 2 state files"
expect_eq "$(stat -c %a "$D/sites")" 750 "DATA/sites mode"

step "cổng bị chèn cờ bạc, canhgacd kiểm tra — gambling, canhgacd checks"
ctl gambling-visible
server_start
# open_spam: an open site-spam finding of the site's host, with its unit
open_spam() {
	cg findings --all --check site-spam --json >"$T/findings.json" \
	    2>/dev/null && jq -e --arg h "$HOST_ID" \
	    '[.[] | select(.host_id == $h and .open)] | length == 1' \
	    "$T/findings.json" >/dev/null
}
poll 90 open_spam || {
	tail -n 20 "$T/canhgacd.log" >&2
	fail "không có vi phạm site-spam mở — no open site-spam finding"
}
F=$(jq -c --arg h "$HOST_ID" '.[] | select(.host_id == $h)' \
    "$T/findings.json")
expect_eq "$(echo "$F" | jq -r .unit)" "$UNIT" "site-spam: đơn vị — unit"
expect_eq "$(echo "$F" | jq -r .severity)" critical "site-spam: severity"
expect_eq "$(echo "$F" | jq -r .hostname)" portal.thaihoa.test "hostname"
echo "$F" | jq -r .evidence | jq -e '.alerts[0].evidence.terms' \
    >/dev/null || fail "site-spam: bằng chứng không phải JSON — evidence"
echo "$F" | jq -r .evidence | grep -qi 'nổ hũ' ||
    fail "site-spam: bằng chứng không có “nổ hũ” — evidence lacks it"
echo "$F" | jq -r .title_en | grep -qi gambling ||
    fail "site-spam: title_en “$(echo "$F" | jq -r .title_en)”"
# the unit scope: the host belongs to the unit, not to the other one
expect_eq "$(sql "SELECT u.name FROM hosts h JOIN units u ON u.id = h.unit_id
    WHERE h.id = '$HOST_ID'")" "$UNIT" "hosts: đơn vị của trang — unit"
expect_eq "$(cg findings --unit "$OTHER" --json | jq length)" 0 \
    "findings --unit $OTHER"
expect_eq "$(sql "SELECT os_id FROM hosts WHERE id = '$HOST_ID'")" \
    web-portal "hosts.os_id"
[ "$(sql "SELECT count(*) FROM events WHERE kind = 'site.alert'
    AND host_id = '$HOST_ID' AND detail LIKE '%site-spam%'")" -ge 1 ] ||
    fail "events: không có site.alert — no site.alert event"
grep -q 'event=site.checked url=' "$T/canhgacd.log" ||
    fail "canhgacd.log: không có event=site.checked"
grep -q 'event=site.alert .*check=site-spam' "$T/canhgacd.log" ||
    fail "canhgacd.log: không có event=site.alert"
[ "$(sql "SELECT count(*) FROM sites WHERE last_checked > 0")" -eq 2 ] ||
    fail "sites.last_checked"

step "bảng điều khiển mở được máy là cổng thông tin — the console opens the site's host"
printf 'Mat-khau-xem-2026!\n' >"$T/pw"
chmod 600 "$T/pw"
cg user add --login lanhdao --role viewer --name "Lãnh đạo phường" \
    --password-file "$T/pw" >"$T/user.out" 2>&1 ||
    { cat "$T/user.out" >&2; fail "canhgac user add lanhdao"; }
J=$T/viewer.jar
: >"$J"
expect_eq "$(console "$J" /dang-nhap)" 200 "GET /dang-nhap"
_tok=$(csrf)
expect_eq "$(console "$J" /dang-nhap --data-urlencode "csrf=$_tok" \
    --data-urlencode login=lanhdao --data-urlencode "password=$(cat "$T/pw")")" \
    303 "POST /dang-nhap"
expect_eq "$(console "$J" /may)" 200 "GET /may"
# its id "site:http://…" is one path segment, percent-encoded
SITE_HREF=$(grep -o 'href="/may/site[^"]*"' "$B" | head -n 1 |
    sed 's/^href="//; s/"$//')
expect_eq "$SITE_HREF" "/may/site%3Ahttp%3A%2F%2Fportal.thaihoa.test%3A$PPORT" \
    "/may: liên kết tới máy của trang — the link to the site's host"
expect_eq "$(console "$J" "$SITE_HREF")" 200 "GET $SITE_HREF"
grep -q 'site-spam' "$B" ||
    fail "$SITE_HREF: không có site-spam — no site-spam on the host page"
expect_eq "$(console "$J" "$SITE_HREF/phat-hien/site-spam")" 200 \
    "GET $SITE_HREF/phat-hien/site-spam"
grep -q 'nổ hũ' "$B" ||
    fail "phát hiện site-spam: không có “nổ hũ” — the finding lacks it"

step "trở lại bình thường — back to normal: resolved"
ctl normal
# adding it anew makes it due now (its interval is an hour)
cg site add --unit "$UNIT" --interval 1h "$HOME_URL" "$KEY_URL" \
    >"$T/readd.out" 2>&1 || { cat "$T/readd.out" >&2; fail "site add (again)"; }
resolved_spam() {
	cg findings --all --check site-spam --json >"$T/findings2.json" \
	    2>/dev/null && jq -e --arg h "$HOST_ID" \
	    '[.[] | select(.host_id == $h and (.open | not) and .status ==
	    "pass")] | length == 1' "$T/findings2.json" >/dev/null
}
poll 90 resolved_spam || {
	tail -n 20 "$T/canhgacd.log" >&2
	fail "site-spam chưa được đóng — not resolved"
}
expect_eq "$(sql "SELECT count(*) FROM findings f JOIN hosts h ON
    h.hid = f.hid WHERE h.id = '$HOST_ID' AND f.resolved = 0")" 0 \
    "không còn vi phạm mở — no open finding left"

step "site check ngay, nhật ký kiểm toán — check now, the audit log"
cg site check "$HOME_URL" >"$T/check.out" 2>&1 ||
    { cat "$T/check.out" >&2; fail "site check (server)"; }
cg site check http://unknown.test/ >/dev/null 2>&1 &&
    fail "site check: URL chưa theo dõi — an unmonitored URL"
cg site remove "$KEY_URL" >/dev/null || fail "site remove"
expect_eq "$(cg site list --json | jq length)" 1 "site list after remove"
for a in site.added site.changed site.baseline site.removed; do
	[ "$(sql "SELECT count(*) FROM audit_log WHERE action = '$a'")" -ge 1 ] ||
	    fail "audit_log: không có $a — no $a"
done
cg audit-log verify >/dev/null || fail "audit-log verify"
server_stop
integrity_ok
passed
