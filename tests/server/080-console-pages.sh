#!/bin/sh
# 080-console-pages.sh — the console's reading pages over TLS with real
# agents (src/server/page_overview.c, page_unit.c, page_hosts.c): two
# units (one named with markup), the weak workstation and a made-up one
# in "Phòng Kế toán", the hostile fixture (markup in its host name and
# package names) in the other unit; a viewer (the whole ward) and a unit
# IT officer (own unit only). Checks: every page answers, the charts are
# inline SVG, nothing the agents sent appears unescaped, no page carries
# a script, the unit scope (another unit's ids and filters answer 404, as
# unknown ones do), the host search with SQL and LIKE metacharacters,
# the filters, sorting and paging bounds, and the silent hosts.
# shellcheck shell=sh disable=SC1111
. "$(dirname "$0")/lib.sh"

# web JAR PATH [CURL OPTIONS...]: one request with a cookie jar.
web() {
	console "$@"
}

# signin JAR LOGIN PASSWORD
signin() {
	: >"$1"
	expect_eq "$(web "$1" /dang-nhap)" 200 "GET /dang-nhap ($2)"
	_tok=$(csrf)
	expect_eq "$(web "$1" /dang-nhap --data-urlencode "csrf=$_tok" \
	    --data-urlencode "login=$2" --data-urlencode "password=$3")" 303 \
	    "POST /dang-nhap ($2)"
	case "$(header Location)" in
	/tong-quan) ;;
	*) fail "đăng nhập $2 không tới tổng quan — sign-in of $2 led to “$(header Location)”" ;;
	esac
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
	# attribute values quoted (an escaped value holds no quote) removed,
	# what remains of a tag must not be an event handler
	if sed 's/"[^"]*"//g' "$B" | grep -qiE '<[a-z][^<>]*[[:space:]]on[a-z]+='; then
		fail "$1: có thuộc tính sự kiện — an event handler attribute: $(sed 's/"[^"]*"//g' "$B" | grep -oiE '<[a-z][^<>]*[[:space:]]on[a-z]+=' | head -n 1)"
	fi
	if grep -qi '<img' "$B"; then
		fail "$1: có thẻ img — an img tag"
	fi
	if grep -q '{{\|}}' "$B"; then
		fail "$1: thẻ mẫu lọt ra trang — a template tag in the page"
	fi
}

# page_ok JAR PATH WHAT: 200, the security headers, inert.
page_ok() {
	expect_eq "$(web "$1" "$2")" 200 "$3: GET $2"
	expect_eq "$(header X-Content-Type-Options)" nosniff "$3: nosniff"
	case "$(header Content-Security-Policy)" in
	*unsafe-inline*|"") fail "$3: CSP “$(header Content-Security-Policy)”" ;;
	esac
	no_markup "$3: $2"
}

# rows: the host rows of the last /may page.
rows() {
	grep -o 'href="/may/[^"]*">' "$B" | sort -u | wc -l
}

# The last body without what differs between two requests for different
# paths (token, the path in the language form, footer time).
strip() {
	grep -v 'name="csrf"' "$B" | grep -v 'name="next"' | grep -v '<footer'
}

UNIT1="Phòng Kế toán"
UNIT2='Phòng <b>Văn hóa</b> & "Xã hội"'

step "init; two units, their tokens and users"
server_init
token_create "$UNIT1" --uses 5
TOKEN1=$TOKEN
token_create "$UNIT2"
TOKEN2=$TOKEN
printf 'Mat-khau-xem-2026!\n' >"$T/pw"
chmod 600 "$T/pw"
cg user add --login lanhdao --role viewer --name "Lãnh đạo phường" \
    --password-file "$T/pw" >"$T/user1.out" 2>&1 ||
    { cat "$T/user1.out" >&2; fail "canhgac user add lanhdao"; }
cg user add --login it-ketoan --role unit-it --unit "$UNIT1" \
    --name "Cán bộ CNTT Kế toán" --password-file "$T/pw" \
    >"$T/user2.out" 2>&1 ||
    { cat "$T/user2.out" >&2; fail "canhgac user add it-ketoan"; }
U1=$(sql "SELECT id FROM units WHERE name = 'Phòng Kế toán'")
U2=$(sql "SELECT id FROM units WHERE name LIKE 'Phòng <b>%'")
if [ -z "$U1" ] || [ -z "$U2" ]; then
	fail "không thấy hai đơn vị — the two units are missing"
fi
server_start

console_agents
expect_eq "$(sql "SELECT count(*) FROM hosts WHERE hostname LIKE '<script>%'")" 1 "the hostile host name is stored as sent"
# Host 3 has been silent for three days; daily scores for the trend,
# one of them under the unit name with markup.
sqlite3 -batch -cmd '.timeout 10000' "$D/store.db" "
    UPDATE hosts SET last_seen = last_seen - 3 * 86400 WHERE id = '$H3';
    INSERT INTO scores(scope, name, time, score, hosts) VALUES
     ('ward', '', strftime('%s', 'now') - 2 * 86400, 41, 3),
     ('ward', '', strftime('%s', 'now') - 86400, 47.5, 3),
     ('unit', 'Phòng Kế toán', strftime('%s', 'now') - 86400, 52, 2),
     ('unit', (SELECT name FROM units WHERE id = $U2),
      strftime('%s', 'now') - 86400, 33, 1);" ||
    fail "sqlite3: silent host and scores"

step "not signed in: every reading page sends to sign-in"
: >"$T/nojar"
for p in /tong-quan /may "/may/$H1" "/don-vi/$U1"; do
	expect_eq "$(web "$T/nojar" "$p")" 303 "GET $p without a session"
done

step "viewer: the ward overview"
V=$T/viewer.jar
signin "$V" lanhdao "$(cat "$T/pw")"
page_ok "$V" /tong-quan viewer
cp "$B" "$T/overview-viewer.html"
expect_file_has "$B" "Phòng Kế toán" "overview"
expect_file_has "$B" 'Phòng &lt;b&gt;Văn hóa&lt;/b&gt; &amp; &quot;Xã hội&quot;' "overview: the unit name escaped"
expect_file_has "$B" '<svg xmlns="http://www.w3.org/2000/svg"' "overview: an inline chart"
expect_file_has "$B" 'class="chart chart-bars"' "overview: the units' bar chart"
expect_file_has "$B" 'class="chart chart-line"' "overview: the trend chart"
expect_file_has "$B" 'class="chart chart-gauge"' "overview: the gauge"
expect_file_has "$B" "Toàn phường" "overview: the ward's series"
expect_file_has "$B" "href=\"/don-vi/$U1\"" "overview: a link to unit 1"
expect_file_has "$B" "href=\"/may/$H3\"" "overview: the silent host"
expect_file_has "$B" "Máy không liên lạc quá 2 ngày" "overview: the silent section"
# Times in Vietnam time, "29/11/2026 17:05".
grep -q '[0-3][0-9]/[01][0-9]/20[0-9][0-9] [0-2][0-9]:[0-5][0-9]' "$B" ||
    fail "overview: không có thời gian dạng dd/mm/yyyy hh:mm — no time as dd/mm/yyyy hh:mm"

step "viewer: the unit scorecards"
page_ok "$V" "/don-vi/$U1" "unit 1"
expect_file_has "$B" "Biện pháp kỹ thuật" "unit 1: the points"
expect_file_has "$B" "Kết nối, tài khoản và thư điện tử" "unit 1: point 7"
expect_file_has "$B" "href=\"/may/$H1\"" "unit 1: its host"
expect_file_has "$B" 'class="chart chart-bars"' "unit 1: the points chart"
if grep -q "href=\"/may/$H2\"" "$B"; then
	fail "unit 1: lists the host of unit 2"
fi
# the points: every row 1-8 is there, with a score for point 3
[ "$(grep -o '<tr><td class="num">[1-8]</td>' "$B" | wc -l)" -eq 8 ] ||
    fail "unit 1: không đủ 8 điểm chỉ thị — not the 8 directive points"
page_ok "$V" "/don-vi/$U2" "unit 2"
cp "$B" "$T/unit2-viewer.html"
expect_file_has "$B" '&lt;script&gt;alert(&quot;host&quot;)&lt;/script&gt;' "unit 2: the hostile host name escaped"
expect_eq "$(web "$V" /don-vi/999999)" 404 "an unknown unit"
expect_eq "$(web "$V" /don-vi/abc)" 404 "a unit id that is not a number"
expect_eq "$(web "$V" "/don-vi/1%20OR%201=1")" 404 "SQL in a unit id"

step "viewer: the hosts, search and filters"
page_ok "$V" /may hosts
cp "$B" "$T/hosts-viewer.html"
expect_eq "$(rows)" 3 "all hosts"
page_ok "$V" "/may?q=ketoan" "search"
expect_eq "$(rows)" 1 "hosts matching ketoan"
expect_file_has "$B" "href=\"/may/$H1\"" "search: the weak host"
page_ok "$V" "/may?q=KETOAN" "search, upper case"
expect_eq "$(rows)" 1 "hosts matching KETOAN"
# SQL and LIKE metacharacters match only themselves
for q in "%25" "_" "%27" "%27%20OR%201%3D1%20--" "%5C" "%22%3E%3Cscript%3E" "may%25" "m_y"; do
	page_ok "$V" "/may?q=$q" "search “$q”"
	expect_eq "$(rows)" 0 "hosts matching “$q”"
done
page_ok "$V" "/may?q=%3Cscript%3E" "search for the hostile name"
expect_eq "$(rows)" 1 "hosts matching <script>"
expect_file_has "$B" 'value="&lt;script&gt;"' "the search echoed escaped"
page_ok "$V" "/may?don-vi=$U2" "filter by unit 2"
expect_eq "$(rows)" 1 "hosts of unit 2"
page_ok "$V" "/may?im-lang=1" "silent filter"
expect_eq "$(rows)" 1 "silent hosts"
expect_file_has "$B" "href=\"/may/$H3\"" "silent: host 3"
expect_eq "$(web "$V" "/may?tu=101")" 400 "a score filter over 100"
expect_eq "$(web "$V" "/may?tu=abc")" 400 "a score filter that is not a number"
expect_eq "$(web "$V" "/may?sap=hostname;DROP")" 400 "an unknown sort"
expect_eq "$(web "$V" "/may?trang=0")" 400 "page 0"
expect_eq "$(web "$V" "/may?so=500")" 400 "more than 200 rows a page"
expect_eq "$(web "$V" "/may?don-vi=0")" 400 "unit 0"
page_ok "$V" "/may?tu=0&den=100&sap=diem&giam=1" "score range, sorted"
expect_eq "$(rows)" 3 "hosts scored 0-100"
page_ok "$V" "/may?so=1&trang=2&sap=ten" "paging"
cp "$B" "$T/hosts-page2.html"
expect_eq "$(rows)" 1 "one host a page"
expect_file_has "$B" 'rel="prev"' "page 2: a previous link"
expect_file_has "$B" 'rel="next"' "page 2: a next link"
page_ok "$V" "/may?so=1&trang=99" "a page past the end"
expect_eq "$(rows)" 0 "hosts past the end"
page_ok "$V" "/may?hdh=%3Cb%3E" "an OS filter with markup"
expect_eq "$(rows)" 0 "hosts of OS <b>"

step "viewer: the host pages"
page_ok "$V" "/may/$H1" "host 1"
cp "$B" "$T/host1-viewer.html"
expect_file_has "$B" "may-ketoan-01" "host 1: name"
expect_file_has "$B" "ssh-root-login" "host 1: a failing check"
expect_file_has "$B" "<details" "host 1: collapsible sections"
expect_file_has "$B" 'class="chart chart-line"' "host 1: score history"
expect_file_has "$B" "Phòng Kế toán" "host 1: unit"
page_ok "$V" "/may/$H2" "hostile host"
cp "$B" "$T/host2-viewer.html"
expect_file_has "$B" '&lt;script&gt;alert(&quot;host&quot;)&lt;/script&gt;' "hostile host: its name escaped"
expect_file_has "$B" 'evil&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;' "hostile host: its package escaped"
expect_eq "$(web "$V" /may/khong-co-may-nay)" 404 "an unknown host"
expect_eq "$(web "$V" "/may/%27%20OR%20%271%27=%271")" 404 "SQL in a host id"

step "viewer, in English"
printf '127.0.0.1\tFALSE\t/\tTRUE\t0\tlang\ten\n' >>"$V"
for p in /tong-quan "/don-vi/$U1" /may "/may/$H1"; do
	page_ok "$V" "$p" "English"
	expect_file_has "$B" 'lang="en"' "English: $p"
	# a message id shown instead of its text means it is missing
	if grep -qE '>[^<]*\b(reading|overview|unit|hosts|host)\.[a-z_0-9]+\b[^<]*<' "$B"; then
		fail "English $p: mã thông điệp hiện ra — a message id shown: $(grep -oE '\b(reading|overview|unit|hosts|host)\.[a-z_0-9]+\b' "$B" | head -n 1)"
	fi
done
expect_file_has "$B" "Findings by directive point" "English host page"
sed -i '/\tlang\t/d' "$V"

step "unit IT officer of unit 1: own unit only"
I=$T/it.jar
signin "$I" it-ketoan "$(cat "$T/pw")"
page_ok "$I" /tong-quan "IT officer"
cp "$B" "$T/overview-it.html"
expect_file_has "$B" "Phòng Kế toán" "IT overview"
if grep -q 'Văn hóa' "$B"; then
	fail "IT overview: shows unit 2"
fi
if grep -q "Toàn phường" "$B"; then
	fail "IT overview: shows the ward's series"
fi
page_ok "$I" "/don-vi/$U1" "IT: own unit"
page_ok "$I" /may "IT: hosts"
expect_eq "$(rows)" 2 "IT: the hosts of unit 1"
if grep -q "href=\"/may/$H2\"" "$B"; then
	fail "IT hosts: lists the host of unit 2"
fi
page_ok "$I" "/may/$H1" "IT: own host"
page_ok "$I" "/may?q=%3Cscript%3E" "IT: search for the other unit's host"
expect_eq "$(rows)" 0 "IT: hosts matching <script>"
# Another unit's unit, host and filter: 404, the same page as unknown ids.
expect_eq "$(web "$I" "/don-vi/$U2")" 404 "IT: the other unit"
strip >"$T/other-unit.html"
expect_eq "$(web "$I" /don-vi/999999)" 404 "IT: an unknown unit"
strip >"$T/unknown-unit.html"
cmp -s "$T/other-unit.html" "$T/unknown-unit.html" ||
    fail "IT: trang khác nhau cho đơn vị khác và đơn vị không có — different pages for another unit and an unknown one"
expect_eq "$(web "$I" "/may/$H2")" 404 "IT: the other unit's host"
strip >"$T/other-host.html"
expect_eq "$(web "$I" /may/khong-co-may-nay)" 404 "IT: an unknown host"
strip >"$T/unknown-host.html"
cmp -s "$T/other-host.html" "$T/unknown-host.html" ||
    fail "IT: trang khác nhau cho máy đơn vị khác và máy không có — different pages for another unit's host and an unknown one"
expect_eq "$(web "$I" "/may?don-vi=$U2")" 404 "IT: a filter on the other unit"
expect_eq "$(web "$I" "/may?don-vi=999999")" 404 "IT: a filter on an unknown unit"

step "a revoked agent's host is not silent"
cg agent revoke "$(agent_json 3 agent_id)" >"$T/revoke.out" 2>&1 ||
    { cat "$T/revoke.out" >&2; fail "canhgac agent revoke"; }
page_ok "$V" "/may?im-lang=1" "silent after the revocation"
expect_eq "$(rows)" 0 "silent hosts after the revocation"
page_ok "$V" /tong-quan "overview after the revocation"
expect_file_has "$B" "Mọi máy đều liên lạc trong 2 ngày qua." "overview: no silent host"

step "summaries that are not what the agent should send"
# The points of the scorecard come from the report's summary: members of
# the wrong type, out of range, an array, or no JSON at all are ignored.
for bad in '{"points":{"3":{"pass":"x","fail":-5,"na":1e308,"error":null,"score":1e999},"9":{"pass":7},"-1":{},"3x":{}}}' \
    '{"points":[{"pass":1}]}' '{"points":"3"}' 'not json' '{"points":{"3":{"score":-40},"4":{"score":"100"},"5":{"pass":2147483648000,"score":250}}}'; do
	sqlite3 -batch -cmd '.timeout 10000' "$D/store.db" \
	    "UPDATE reports SET summary = '$bad' WHERE hid =
	     (SELECT hid FROM hosts WHERE id = '$H2')" ||
	    fail "sqlite3: summary $bad"
	page_ok "$V" "/don-vi/$U2" "unit 2 with summary $bad"
	[ "$(grep -o '<tr><td class="num">[1-8]</td>' "$B" | wc -l)" -eq 8 ] ||
	    fail "unit 2 with summary $bad: không đủ 8 điểm — not the 8 points"
	if grep -q '<td class="num">[0-9]\{7,\}</td>' "$B"; then
		fail "unit 2 with summary $bad: số đếm không bị chặn — a count not bounded"
	fi
done

step "a host that sends as much as the limits allow"
# Evidence, remedies and facts at the size ingestion allows, made of the
# characters escaping lengthens most: the host page still renders, within
# bounds, and cut.
sqlite3 -batch -cmd '.timeout 10000' "$D/store.db" "
    UPDATE findings SET evidence = replace(hex(zeroblob(30000)), '00', '\"&')
     WHERE hid = (SELECT hid FROM hosts WHERE id = '$H2');
    UPDATE checks SET remedy_vi = replace(hex(zeroblob(30000)), '00', '<'''),
     title_vi = replace(hex(zeroblob(30000)), '00', '&>');
    INSERT OR REPLACE INTO host_facts(hid, section, sha256, value, updated)
     SELECT hid, 'z-big', 'x', (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL
      SELECT i + 1 FROM n WHERE i < 3000) SELECT json_group_array(
      json_object('a' || replace(hex(zeroblob(100)), '00', '\"'),
      replace(hex(zeroblob(300)), '00', '\"<'), 'b', i, 'c', 'x', 'd', 'y',
      'e', 'z', 'f', 1.5, 'g', json('true'), 'h', json('null'))) FROM n),
      0 FROM hosts WHERE id = '$H2';" ||
    fail "sqlite3: the largest host"
page_ok "$V" "/may/$H2" "the largest host"
size=$(wc -c <"$B")
[ "$size" -lt 6000000 ] || fail "the largest host: trang $size byte — page of $size bytes"
expect_file_has "$B" "Số dòng không hiện: 2800" "the largest host: the table cut"
expect_file_has "$B" "&quot;&amp;&quot;&amp;" "the largest host: evidence escaped"
page_ok "$V" /tong-quan "overview with the largest host"
page_ok "$V" "/don-vi/$U2" "unit 2 with the largest host"

integrity_ok
server_stop
passed
