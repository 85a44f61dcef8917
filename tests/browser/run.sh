#!/bin/sh
# run.sh — the browser test of the web console (issue 4, "Done when"):
# installs playwright-core from the lock file when node_modules is missing,
# starts a fresh canhgacd on 127.0.0.1 with the functions of
# tests/server/lib.sh, makes a supervisor and a unit IT officer, fills two
# units with real agents (the weak fixture in "Phòng Kế toán", the hostile
# one — markup in its host and package names — in the other unit), then
# runs console.mjs, which drives Debian's chromium headless through the
# scenario. The screenshots (build/tests/browser/NN-name.png), the
# downloaded XLSX files and the logs stay in build/tests/browser as
# artefacts. Everything started here is killed by its id at the end; a
# sanitizer report in canhgacd's log fails the test.
# Usage: tests/browser/run.sh   (CGD CG CGA: the programs, default build/asan)
# shellcheck shell=sh disable=SC1111,SC2119,SC2012
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
CG_TEST_DIR=$src/build/tests/browser
CHROMIUM=${CG_CHROMIUM:-/usr/bin/chromium}
export CG_TEST_DIR

# lib.sh finds the programs from $0, which is this file: same tree.
. "$src/tests/server/lib.sh"

step "node, chromium, playwright-core"
command -v node >/dev/null 2>&1 ||
    fail "thiếu node (apt-get install nodejs npm) — node is missing"
[ -x "$CHROMIUM" ] ||
    fail "thiếu $CHROMIUM (scripts/deps.sh check) — chromium is missing"
command -v oathtool >/dev/null 2>&1 ||
    fail "thiếu oathtool (scripts/deps.sh check) — oathtool is missing"
if [ ! -d "$here/node_modules/playwright-core" ]; then
	(cd "$here" && npm ci --no-audit --no-fund) >"$T/npm.log" 2>&1 || {
		tail -n 20 "$T/npm.log" >&2
		fail "npm ci trong tests/browser — npm ci in tests/browser"
	}
fi

step "init; two units, their tokens and users"
server_init
UNIT1="Phòng Kế toán"
UNIT2="Phòng Văn hóa - Xã hội"
token_create "$UNIT1" --uses 5
TOKEN1=$TOKEN
token_create "$UNIT2"
TOKEN2=$TOKEN
printf 'mat-khau-giam-sat-2026\n' >"$T/pw-sup"
printf 'mat-khau-cntt-ke-toan\n' >"$T/pw-it"
chmod 600 "$T/pw-sup" "$T/pw-it"
cg user add --login canbo.ca --role supervisor --name "Cán bộ Công an phường" \
    --password-file "$T/pw-sup" >"$T/users.out" 2>&1 ||
    { cat "$T/users.out" >&2; fail "canhgac user add canbo.ca"; }
cg user add --login it-ketoan --role unit-it --unit "$UNIT1" \
    --name "Cán bộ CNTT Kế toán" --password-file "$T/pw-it" \
    >>"$T/users.out" 2>&1 ||
    { cat "$T/users.out" >&2; fail "canhgac user add it-ketoan"; }
U1=$(sql "SELECT id FROM units WHERE name = '$UNIT1'")
U2=$(sql "SELECT id FROM units WHERE name = '$UNIT2'")
UID_IT=$(sql "SELECT id FROM users WHERE login = 'it-ketoan'")
if [ -z "$U1" ] || [ -z "$U2" ] || [ -z "$UID_IT" ]; then
	fail "không thấy đơn vị hay người dùng — the units or the user are missing"
fi
server_start

step "agents: weak and a made-up host in unit 1, hostile in unit 2"
TOKEN=$TOKEN1
mkdir -p "$T/a1" "$T/a2"
agent_enroll 1 "$CG_FIXTURES/weak"
"$CGA" run --once --state "$T/a1/state" --root "$CG_FIXTURES/weak" \
    --config "$PROBE_OFF" >"$T/a1/agent.log" 2>&1 ||
    { tail -n 20 "$T/a1/agent.log" >&2; fail "agent 1 run --once"; }
agent_root 3
agent_conf 3
agent_enroll 3
agent_once 3 || { tail -n 20 "$T/a3/agent.log" >&2; fail "agent 3 run --once"; }
TOKEN=$TOKEN2
agent_enroll 2 "$CG_FIXTURES/hostile"
"$CGA" run --once --state "$T/a2/state" --root "$CG_FIXTURES/hostile" \
    --config "$PROBE_OFF" >"$T/a2/agent.log" 2>&1 ||
    { tail -n 20 "$T/a2/agent.log" >&2; fail "agent 2 run --once"; }
H1=$(agent_json 1 host_id)
H2=$(agent_json 2 host_id)
expect_eq "$(sql 'SELECT count(*) FROM hosts WHERE score >= 0')" 3 "hosts with a report"
H2_NAME=$(sql "SELECT hostname FROM hosts WHERE id = '$H2'")
case "$H2_NAME" in
*'<script>'*) ;;
*) fail "tên máy độc hại “$H2_NAME” không có <script> — the hostile host name lacks <script>" ;;
esac
CHECK=ssh-root-login
expect_eq "$(sql "SELECT count(*) FROM findings f JOIN hosts h ON h.hid = f.hid
    WHERE h.id = '$H1' AND f.check_id = '$CHECK' AND f.resolved = 0")" 1 \
    "the open $CHECK finding of host 1"

step "chromium: the scenario (console.mjs)"
mkdir -p "$T/home"
rc=0
env CG_URL="$URL" CG_T="$T" CG_PIDS="$T/pids" CG_CHROMIUM="$CHROMIUM" \
    CG_SUP=canbo.ca CG_SUP_PW="$T/pw-sup" \
    CG_IT=it-ketoan CG_IT_PW="$T/pw-it" CG_UID_IT="$UID_IT" \
    CG_H1="$H1" CG_H2="$H2" CG_H2_NAME="$H2_NAME" CG_U1="$U1" CG_U2="$U2" \
    CG_CHECK="$CHECK" HOME="$T/home" \
    node "$here/console.mjs" 2>&1 &
NODE_PID=$!
track "$NODE_PID"
wait "$NODE_PID" || rc=$?
[ "$rc" -eq 0 ] || fail "kiểm thử trình duyệt thoát với mã $rc (ảnh chụp trong $T) — the browser test exited $rc (screenshots in $T)"

step "the audit log has what the browser did; the server is well"
expect_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'totp.enabled' AND actor = 'canbo.ca'")" 1 "totp.enabled"
expect_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'finding.assign' AND actor = 'canbo.ca'")" 1 "finding.assign"
expect_eq "$(sql "SELECT count(*) FROM audit_log WHERE action = 'finding.accept' AND actor = 'canbo.ca'")" 1 "finding.accept"
expect_eq "$(sql "SELECT count(*) FROM finding_workflow w JOIN hosts h
    ON h.hid = w.hid WHERE h.id = '$H1' AND w.check_id = '$CHECK'
    AND w.assignee_id = $UID_IT AND w.accepted_until > 0")" 1 "the workflow row"
cg audit-log verify >"$T/verify.out" 2>&1 ||
    { cat "$T/verify.out" >&2; fail "canhgac audit-log verify"; }
integrity_ok
server_stop
if grep -l 'AddressSanitizer\|runtime error:\|LeakSanitizer' \
    "$T/canhgacd.log" "$T"/a*/agent.log 2>/dev/null; then
	fail "báo cáo của sanitizer trong nhật ký — a sanitizer report in the logs above"
fi
ls "$T"/*.png >/dev/null 2>&1 || fail "không có ảnh chụp màn hình — no screenshots"
passed "$(ls "$T"/*.png | wc -l) screenshots in $T, $(($(date +%s) - CG_T0))s"
