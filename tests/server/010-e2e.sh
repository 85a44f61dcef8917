#!/bin/sh
# 010-e2e.sh — the whole path once, over TLS on loopback: canhgac init,
# a token for "Phòng Kế toán", canhgac-agent enroll with the fingerprint
# the token printed, run --once on the weak workstation, and the host with
# its unit, score and failing checks listed by canhgac hosts and findings
# (JSON and text). Issue 3, "Done when", first point.
# Messages quote with “ ”; helpers take optional arguments.
# shellcheck disable=SC1111,SC2119
set -eu
# shellcheck source=tests/server/lib.sh
. "$(dirname "$0")/lib.sh"

step "init, canhgacd"
server_init
server_start

# One TLS port and no plaintext: HTTP on it gets no CA.
if curl -s --noproxy '*' --max-time 5 -o /dev/null "http://127.0.0.1:$PORT/api/v1/ca"; then
	fail "cổng $PORT trả lời HTTP không mã hóa — port $PORT answers plaintext HTTP"
fi

step "token create --unit “Phòng Kế toán”"
token_create "Phòng Kế toán"
expect_eq "$TOKEN_FPR" "$FPR" "vân tay CA của token create và init — CA fingerprint of token create and init"
expect_file_has "$T/token.out" "canhgac-agent enroll" "token create"

step "enroll"
mkdir -p "$T/a1"
agent_conf 1
"$CGA" enroll --server "$URL" --token "$TOKEN" --ca-fingerprint "$TOKEN_FPR" \
    --state "$T/a1/state" --root "$CG_FIXTURES/weak" >"$T/a1/enroll.log" 2>&1 ||
    { cat "$T/a1/enroll.log" >&2; fail "canhgac-agent enroll"; }
expect_eq "$(agent_json 1 unit)" "Phòng Kế toán" "agent.json unit"
[ "$(stat -c %a "$T/a1/state/agent.key")" = 600 ] ||
    fail "agent.key không phải 0600 — agent.key is not mode 0600"
agent_id=$(agent_json 1 agent_id)
host_id=$(agent_json 1 host_id)

step "run --once (weak)"
rc=0
"$CGA" run --once --state "$T/a1/state" --root "$CG_FIXTURES/weak" \
    --config "$PROBE_OFF" >"$T/a1/agent.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { tail -n 20 "$T/a1/agent.log" >&2; fail "run --once thoát với mã $rc — exited $rc"; }
expect_eq "$(count_lines 'event=report.queued' "$T/a1/agent.log")" 1 "báo cáo đã xếp hàng — reports queued"
expect_eq "$(count_lines 'event=batch.acknowledged.*status=stored' "$T/a1/agent.log")" 1 "lô đã được xác nhận — batches acknowledged"

# The score the agent computed for the same tree, to compare with the
# server's: audit of the same root with the same configuration.
"$CGA" audit --root "$CG_FIXTURES/weak" --config "$PROBE_OFF" --format json \
    >"$T/audit.json" 2>"$T/audit.err" || [ $? -eq 1 ]
score=$(jq '.summary.score' "$T/audit.json")
nfail=$(jq '[.findings[] | select(.status == "fail")] | length' "$T/audit.json")
expect_eq "$(jq -r '.host.id' "$T/audit.json")" "$host_id" "host.id của báo cáo và của đăng ký — host.id of the report and of the enrolment"

step "canhgac hosts --json"
cg hosts --json >"$T/hosts.json" 2>"$T/hosts.err" || fail "canhgac hosts --json"
jq -e 'length == 1' "$T/hosts.json" >/dev/null || fail "hosts --json: không đúng một máy — not exactly one host"
jq -e --arg id "$host_id" --argjson score "$score" \
    '.[0] | .id == $id and .hostname == "may-ketoan-01" and
     .unit == "Phòng Kế toán" and .score == $score' "$T/hosts.json" >/dev/null ||
    fail "hosts --json: máy, đơn vị hoặc điểm sai — wrong host, unit or score (want score $score): $(cat "$T/hosts.json")"
cg hosts --json --unit "Phòng Kế toán" | jq -e 'length == 1' >/dev/null ||
    fail "hosts --unit “Phòng Kế toán”"
cg hosts --json --unit "Phòng Khác" | jq -e 'length == 0' >/dev/null ||
    fail "hosts --unit “Phòng Khác” phải rỗng — must be empty"

step "canhgac hosts (text)"
cg hosts >"$T/hosts.txt" 2>&1 || fail "canhgac hosts"
expect_file_has "$T/hosts.txt" "may-ketoan-01" "hosts"
expect_file_has "$T/hosts.txt" "Phòng Kế toán" "hosts"
expect_file_has "$T/hosts.txt" "$score" "hosts"

step "canhgac findings --json"
cg findings --json >"$T/findings.json" 2>"$T/findings.err" || fail "canhgac findings --json"
for c in ssh-root-login ssh-password-auth acct-empty-password fw-enabled wifi-wep; do
	jq -e --arg c "$c" 'any(.[]; .check == $c and .status == "fail")' \
	    "$T/findings.json" >/dev/null || fail "findings --json: thiếu / lacks $c fail"
done
# Open findings are the failing checks and the errors of the report.
nopen=$(jq '[.findings[] | select(.status == "fail" or .status == "error")] | length' "$T/audit.json")
expect_eq "$(jq length "$T/findings.json")" "$nopen" "số phát hiện mở — open findings"
jq -e 'all(.[]; .status != "pass")' "$T/findings.json" >/dev/null ||
    fail "findings mặc định có mục đạt — default findings list passing checks"
cg findings --json --status fail --host may-ketoan-01 >"$T/findings-fail.json" ||
    fail "findings --status fail --host may-ketoan-01"
expect_eq "$(jq length "$T/findings-fail.json")" "$nfail" "findings --status fail"
cg findings --json --host khong-co-may-nay | jq -e 'length == 0' >/dev/null ||
    fail "findings --host của máy không có phải rỗng — an unknown host must list nothing"

step "canhgac findings (text)"
cg findings >"$T/findings.txt" 2>&1 || fail "canhgac findings"
expect_file_has "$T/findings.txt" "ssh-root-login" "findings"
expect_file_has "$T/findings.txt" "may-ketoan-01" "findings"

step "the store"
integrity_ok
expect_eq "$(sql "SELECT count(*) FROM batches")" 1 "lô trong kho — batches in the store"
expect_eq "$(store_reports "$host_id")" 1 "báo cáo trong kho — reports in the store"
grep -q "agent=$agent_id" "$T/canhgacd.log" ||
    fail "canhgacd.log không nhắc agent $agent_id — does not name agent $agent_id"

server_stop
passed
