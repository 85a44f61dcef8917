#!/bin/sh
# 050-attacks.sh — what an attacker in the ward would try, each refused
# with a clear error and logged (issue 3, "Done when", last point): a
# wrong CA fingerprint at enrolment, an expired and a used-up token, a
# revoked agent, a replayed batch, a batch signed by another CA or sent
# without a certificate, an agent writing another host, an oversized body,
# a gzip bomb, malformed JSON and a wrong member. Every refusal must
# appear in canhgacd's log and in the store's events table. Batches are
# posted with curl and the agent's own certificate, as an attacker who
# stole the files of one computer could.
# Messages quote with “ ”; helpers take optional arguments.
# shellcheck disable=SC1111,SC2119
set -eu
# shellcheck source=tests/server/lib.sh
. "$(dirname "$0")/lib.sh"

# post NAME FILE AGENT [CURL OPTIONS...]: POST FILE to /api/v1/batches
# with the certificate of agent AGENT ("-": none); sets HTTP (000 when TLS
# or the connection failed) and leaves the answer in $T/NAME.resp.
post() {
	_n=$1
	_f=$2
	_a=$3
	shift 3
	if [ "$_a" != - ]; then
		set -- --cert "$T/a$_a/state/agent.pem" \
		    --key "$T/a$_a/state/agent.key" "$@"
	fi
	HTTP=$(curl -sS --noproxy '*' --max-time 60 --cacert "$D/ca/ca.pem" \
	    -H 'Content-Type: application/json' "$@" --data-binary "@$_f" \
	    -o "$T/$_n.resp" -w '%{http_code}' "$URL/api/v1/batches" \
	    2>"$T/$_n.curl") || true
	HTTP=${HTTP:-000}
}
err_code() {
	jq -r '.error.code // empty' "$T/$1.resp" 2>/dev/null || true
}
# refused NAME HTTP CODE: the answer was HTTP with error CODE, in both
# languages, and canhgacd logged it and wrote an event.
refused() {
	expect_eq "$HTTP" "$2" "$1: HTTP"
	expect_eq "$(err_code "$1")" "$3" "$1: error.code"
	jq -e '(.error.vi | length > 0) and (.error.en | length > 0)' \
	    "$T/$1.resp" >/dev/null || fail "$1: thiếu thông báo vi/en — no vi/en message"
	logged "$1" "$3"
}
# logged NAME CODE: the refusal is in canhgacd's log and the events table.
logged() {
	poll 10 grep -q -- "$2" "$T/canhgacd.log" ||
	    fail "$1: canhgacd.log không ghi / does not log $2"
	[ "$(events_with "$2")" -ge 1 ] ||
	    soft_fail "$1: bảng events không có / the events table lacks $2"
}
# batch N FILE [JQ]: a batch of one fresh report of agent N's computer,
# changed by the jq filter JQ (on the whole batch).
batch() {
	"$CGA" audit --root "$T/a$1/root" --config "$PROBE_OFF" --format json \
	    >"$T/report.json" 2>/dev/null || [ $? -eq 1 ]
	jq -c --arg b "$(uuid)" --arg r "$(uuid)" \
	    "{schema: 1, batch: \$b, agent: {version: \"0.1.0\"},
	      queue: {dropped_snapshots: 0, stripped: 0, refused: 0},
	      reports: [. + {report_id: \$r}]} | ${3:-.}" \
	    "$T/report.json" >"$2"
}

step "init, canhgacd"
server_init
server_conf rate-limit 100000 1000000
server_start
i=1
while [ "$i" -le 4 ]; do
	agent_root "$i"
	agent_conf "$i" "interval 1s" "retry-min 100ms" "retry-max 1s"
	i=$((i + 1))
done

step "wrong --ca-fingerprint: refused, nothing written, token not used"
token_create "Phòng Văn hóa - Xã hội"
last=$(printf '%s' "$TOKEN_FPR" | tail -c 1)
if [ "$last" = 0 ]; then wrong=${TOKEN_FPR%?}1; else wrong=${TOKEN_FPR%?}0; fi
rc=0
"$CGA" enroll --server "$URL" --token "$TOKEN" --ca-fingerprint "$wrong" \
    --state "$T/a1/state" --root "$T/a1/root" >"$T/a1/enroll-wrong.log" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "enroll với vân tay sai đã thành công — enrolment with a wrong fingerprint succeeded"
expect_file_has "$T/a1/enroll-wrong.log" "vân tay" "enroll"
grep -qi 'fingerprint' "$T/a1/enroll-wrong.log" ||
    fail "enroll: thông báo không nói vân tay (vi và en) — message does not name the fingerprint (vi and en): $(cat "$T/a1/enroll-wrong.log")"
[ -z "$(ls -A "$T/a1/state" 2>/dev/null)" ] ||
    fail "enroll với vân tay sai đã ghi / with a wrong fingerprint wrote: $(ls -A "$T/a1/state")"
expect_eq "$(sql 'SELECT count(*) FROM agents')" 0 "agent trong kho — agents in the store"
agent_enroll 1

step "used-up token (--uses 1, second enrolment)"
token_create "Phòng Văn hóa - Xã hội" --uses 1
agent_enroll 2
rc=0
"$CGA" enroll --server "$URL" --token "$TOKEN" --ca-fingerprint "$TOKEN_FPR" \
    --state "$T/a3/state" --root "$T/a3/root" >"$T/a3/enroll-usedup.log" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "token đã dùng hết vẫn đăng ký được — a used-up token enrolled"
expect_file_has "$T/a3/enroll-usedup.log" "token-used-up" "enroll"
[ ! -e "$T/a3/state/agent.json" ] || fail "enroll bị từ chối đã ghi agent.json — a refused enrolment wrote agent.json"
logged enroll-usedup token-used-up

step "expired token"
if cg token create --unit "Phòng Văn hóa - Xã hội" --expires 1s >"$T/token.out" 2>&1; then
	echo "token create --expires 1s; đợi nó hết hạn — waiting for it to expire"
	TOKEN=$(grep -o 'cg1_[A-Za-z0-9_-]*' "$T/token.out" | head -n 1)
	sleep 2
else
	echo "CLI không cho --expires 1s: cho hết hạn bằng sqlite3 — the CLI refuses --expires 1s: expired with sqlite3"
	token_create "Phòng Văn hóa - Xã hội"
	sqlite3 -cmd '.timeout 10000' "$D/store.db" \
	    "UPDATE tokens SET expires = 1 WHERE id = (SELECT max(id) FROM tokens)"
fi
rc=0
"$CGA" enroll --server "$URL" --token "$TOKEN" --ca-fingerprint "$TOKEN_FPR" \
    --state "$T/a3/state" --root "$T/a3/root" >"$T/a3/enroll-expired.log" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "token hết hạn vẫn đăng ký được — an expired token enrolled"
expect_file_has "$T/a3/enroll-expired.log" "token-expired" "enroll"
logged enroll-expired token-expired

step "unknown token"
rc=0
"$CGA" enroll --server "$URL" --token cg1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA \
    --ca-fingerprint "$TOKEN_FPR" --state "$T/a3/state" --root "$T/a3/root" \
    >"$T/a3/enroll-unknown.log" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "token lạ vẫn đăng ký được — an unknown token enrolled"
expect_file_has "$T/a3/enroll-unknown.log" "token-unknown" "enroll"
logged enroll-unknown token-unknown

step "replayed batch: stored once, the second answer duplicate"
batch 2 "$T/replay.json"
post replay1 "$T/replay.json" 2
expect_eq "$HTTP" 200 "replay 1: HTTP"
expect_eq "$(jq -r .status "$T/replay1.resp")" stored "replay 1: status"
post replay2 "$T/replay.json" 2
expect_eq "$HTTP" 200 "replay 2: HTTP"
expect_eq "$(jq -r .status "$T/replay2.resp")" duplicate "replay 2: status"
bid=$(jq -r .batch "$T/replay.json")
rid=$(jq -r '.reports[0].report_id' "$T/replay.json")
expect_eq "$(sql "SELECT count(*) FROM batches WHERE batch_id = '$bid'")" 1 "lô phát lại trong kho — the replayed batch in the store"
expect_eq "$(sql "SELECT count(*) FROM reports WHERE report_id = '$rid'")" 1 "báo cáo phát lại trong kho — the replayed report in the store"
# The same report under a new batch id: the batch is stored, the report
# skipped.
jq -c --arg b "$(uuid)" '.batch = $b' "$T/replay.json" >"$T/replay3.json"
post replay3 "$T/replay3.json" 2
expect_eq "$HTTP" 200 "replay 3: HTTP"
expect_eq "$(jq -r .skipped "$T/replay3.resp")" 1 "replay 3: skipped"
expect_eq "$(sql "SELECT count(*) FROM reports WHERE report_id = '$rid'")" 1 "báo cáo phát lại trong kho — the replayed report in the store"

step "forged batch: a client certificate from another CA"
agent2=$(agent_json 2 agent_id)
serial=$(openssl x509 -in "$T/a2/state/agent.pem" -noout -serial | cut -d= -f2)
cat >"$T/evil-ca.tmpl" <<EOF
cn = "Canh Gác CA"
organization = "Canh Gác"
serial = 0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
expiration_days = 30
ca
cert_signing_key
crl_signing_key
EOF
cat >"$T/evil.tmpl" <<EOF
cn = "$agent2"
serial = 0x$serial
expiration_days = 30
tls_www_client
signing_key
EOF
certtool --generate-privkey --key-type ecdsa --outfile "$T/evil-ca.key" 2>/dev/null
certtool --generate-self-signed --load-privkey "$T/evil-ca.key" \
    --template "$T/evil-ca.tmpl" --outfile "$T/evil-ca.pem" 2>/dev/null
certtool --generate-privkey --key-type ecdsa --outfile "$T/evil.key" 2>/dev/null
certtool --generate-certificate --load-privkey "$T/evil.key" \
    --load-ca-certificate "$T/evil-ca.pem" --load-ca-privkey "$T/evil-ca.key" \
    --template "$T/evil.tmpl" --outfile "$T/evil.pem" 2>/dev/null
batch 2 "$T/forged.json"
nb=$(sql 'SELECT count(*) FROM batches')
post forged "$T/forged.json" - --cert "$T/evil.pem" --key "$T/evil.key"
if [ "$HTTP" = 000 ]; then
	echo "refused at TLS: $(cat "$T/forged.curl")"
else
	refused forged 401 bad-client-cert
fi
# A self-signed certificate naming the agent.
certtool --generate-self-signed --load-privkey "$T/evil.key" \
    --template "$T/evil.tmpl" --outfile "$T/self.pem" 2>/dev/null
post selfsigned "$T/forged.json" - --cert "$T/self.pem" --key "$T/evil.key"
if [ "$HTTP" = 000 ]; then
	echo "refused at TLS: $(cat "$T/selfsigned.curl")"
else
	refused selfsigned 401 bad-client-cert
fi
expect_eq "$(sql 'SELECT count(*) FROM batches')" "$nb" "lô giả mạo trong kho — forged batches in the store"

step "no client certificate"
post nocert "$T/forged.json" -
refused nocert 401 no-client-cert

step "an agent writing another host"
batch 3 "$T/other.json"
post mismatch "$T/other.json" 2
refused mismatch 403 host-mismatch
batch 2 "$T/mixed.json" '.reports += [.reports[0] | .report_id = "'"$(uuid)"'" | .host.id = "9c1f0000000000000000000000000000"]'
post mixed "$T/mixed.json" 2
refused mixed 403 host-mismatch
expect_eq "$(sql 'SELECT count(*) FROM batches')" "$nb" "lô bị từ chối trong kho — refused batches in the store"

step "oversized body and gzip bomb"
head -c 9437184 /dev/zero | tr '\0' ' ' >"$T/big.json"
post big "$T/big.json" 2
refused big 413 too-large
head -c 50331648 /dev/zero | tr '\0' ' ' | gzip -9 >"$T/bomb.json.gz"
post bomb "$T/bomb.json.gz" 2 -H 'Content-Encoding: gzip'
refused bomb 413 too-large

step "malformed JSON, wrong member, wrong encoding"
printf '{"schema": 1, "batch": "%s", "reports": [' "$(uuid)" >"$T/bad.json"
post badjson "$T/bad.json" 2
refused badjson 400 bad-json
batch 2 "$T/member.json" '.reports[0].findings[0].status = "maybe"'
post member "$T/member.json" 2
refused member 400 bad-request
expect_eq "$(jq -r .error.path "$T/member.resp")" "reports[0].findings[0].status" "wrong member: error.path"
batch 2 "$T/noschema.json" 'del(.schema)'
post noschema "$T/noschema.json" 2
expect_eq "$HTTP" 400 "no schema: HTTP"
expect_eq "$(jq -r .error.path "$T/noschema.resp")" schema "no schema: error.path"
post encoding "$T/member.json" 2 -H 'Content-Encoding: br'
refused encoding 415 encoding
expect_eq "$(sql 'SELECT count(*) FROM batches')" "$nb" "lô bị từ chối trong kho — refused batches in the store"

step "revoked agent: 403 agent-revoked, the agent stops uploading"
agent_once 1 || fail "run --once trước khi thu hồi — before revocation"
agent1=$(agent_json 1 agent_id)
cg agent revoke "$agent1" >"$T/revoke.out" 2>&1 || { cat "$T/revoke.out" >&2; fail "canhgac agent revoke"; }
cg agent list --json | jq -e --arg a "$agent1" 'any(.[]; .id == $a and .revoked)' >/dev/null ||
    fail "agent list không cho thấy agent bị thu hồi — does not show the agent revoked"
rc=0
agent_once 1 || rc=$?
[ "$rc" -ne 0 ] || fail "run --once của agent bị thu hồi thoát 0 — a revoked agent's run --once exited 0"
grep 'event=upload\.denied' "$T/a1/agent.log" | grep 'http=403' | grep -q 'code=agent-revoked' ||
    fail "agent.log không có upload.denied http=403 code=agent-revoked — lacks it"
expect_file_has "$T/a1/agent.log" "thu hồi" "agent.log"
grep -qi 'revoked' "$T/a1/agent.log" ||
    fail "agent.log không nói bị thu hồi (vi và en) — does not say revoked (vi and en)"
logged revoked agent-revoked
# As a daemon: after the first 403 it keeps auditing but sends nothing.
r0=$(grep -c "agent-revoked" "$T/canhgacd.log")
q0=$(count_lines 'event=report\.queued' "$T/a1/agent.log")
agent_start 1
daemon_idle() {
	! alive "$(cat "$T/a1/pid")" ||
	    [ "$(count_lines 'event=report\.queued' "$T/a1/agent.log")" -ge $((q0 + 3)) ]
}
poll 60 daemon_idle || fail "agent bị thu hồi không chạy tiếp cũng không dừng — the revoked agent neither works on nor stops"
r1=$(grep -c "agent-revoked" "$T/canhgacd.log")
[ "$r1" -le $((r0 + 1)) ] ||
    soft_fail "agent bị thu hồi vẫn gửi lại ($((r1 - r0)) lần) — the revoked agent kept uploading ($((r1 - r0)) times)"
if alive "$(cat "$T/a1/pid")"; then
	agent_stop 1
else
	reap "$(cat "$T/a1/pid")" || true
fi

step "the store after the attacks"
integrity_ok
expect_eq "$(sql "SELECT count(*) FROM agents WHERE id = '$agent1' AND revoked_at > 0")" 1 "agent bị thu hồi trong kho — the revoked agent in the store"
server_stop
passed
