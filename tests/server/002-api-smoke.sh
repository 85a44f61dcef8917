#!/bin/bash
# api-smoke.sh — a quick end-to-end check of canhgacd's agent API over TLS
# on loopback: canhgac init, the CA download, enrolment with a certtool CSR,
# a batch (plain and gzip), its duplicate, and the refusals that matter —
# TLS 1.1, no client certificate, a certificate of another CA, an oversized
# body, another host's report, malformed JSON, a bad encoding, a revoked
# agent, the rate limit — then a clean stop on SIGTERM. Exits non-zero on
# the first failure. The full integration and fault tests live beside it.
#
#   tests/server/002-api-smoke.sh [BUILD_DIR]	(default build/asan)
#
# CG_SMOKE_KEEP=1 keeps the temporary directory (data, server.log).
# Needs curl, jq, certtool and gnutls-cli (gnutls-bin), gzip.

set -u
cd "$(dirname "$0")/../.." || exit 1
B=${1:-build/asan}
for p in "$B/canhgacd" "$B/canhgac" "$B/canhgac-agent"; do
	[ -x "$p" ] || { echo "api-smoke: thiếu — missing $p" >&2; exit 1; }
done
for t in curl jq certtool gnutls-cli gzip; do
	command -v "$t" >/dev/null 2>&1 ||
	    { echo "api-smoke: thiếu công cụ — missing tool $t" >&2; exit 1; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/cg-smoke.XXXXXX") || exit 1
D=$T/data
PID=
cleanup() {
	if [ -n "$PID" ]; then
		kill "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
	fi
	if [ -n "${CG_SMOKE_KEEP:-}" ]; then
		echo "api-smoke: kept $T" >&2
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

FAILS=0
ok() { echo "  ok    $1"; }
fail() {
	echo "  FAIL  $1" >&2
	FAILS=$((FAILS + 1))
	[ -f "$T/server.log" ] && tail -n 20 "$T/server.log" >&2
	exit 1
}

# A free port on 127.0.0.1: nothing answers a connection to it.
PORT=
i=0
while [ $i -lt 50 ]; do
	p=$((20000 + ($$ * 7 + i * 331) % 40000))
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		PORT=$p
		break
	fi
	i=$((i + 1))
done
[ -n "$PORT" ] || fail "không tìm được cổng trống — no free port"
URL=https://127.0.0.1:$PORT

"$B/canhgac" init --data "$D" --listen "127.0.0.1:$PORT" \
    --generate-password >"$T/init.out" 2>&1 || {
	cat "$T/init.out" >&2; fail "canhgac init"; }
# Small bounds so that the refusals are cheap to provoke.
sed -i -e 's/^batch-max-bytes .*/batch-max-bytes 256K/' \
    -e 's/^rate-limit .*/rate-limit 9 1/' "$D/canhgacd.conf"
"$B/canhgacd" --data "$D" -n >/dev/null 2>&1 || fail "canhgacd -n"

"$B/canhgacd" --data "$D" -v >"$T/server.log" 2>&1 &
PID=$!
i=0
until curl -fsS --cacert "$D/ca/ca.pem" "$URL/api/v1/ca" >"$T/ca.pem" \
    2>/dev/null; do
	i=$((i + 1))
	kill -0 "$PID" 2>/dev/null || fail "canhgacd exited at start"
	[ $i -lt 100 ] || fail "canhgacd did not answer"
	sleep 0.1
done
cmp -s "$T/ca.pem" "$D/ca/ca.pem" && ok "GET /api/v1/ca" ||
    fail "GET /api/v1/ca is not ca.pem"

# curl with our CA; prints the HTTP status, the body goes to $T/body.
req() {
	curl -sS -o "$T/body" -D "$T/headers" -w '%{http_code}' \
	    --cacert "$D/ca/ca.pem" "$@"
}
expect() {	# name want got [code]
	if [ "$3" != "$2" ]; then
		cat "$T/body" >&2; echo >&2
		fail "$1: HTTP $3, want $2"
	fi
	if [ $# -ge 4 ]; then
		c=$(jq -r '.error.code' "$T/body" 2>/dev/null)
		[ "$c" = "$4" ] || fail "$1: code $c, want $4"
	fi
	ok "$1"
}

# Security headers on every answer.
req "$URL/api/v1/ca" >/dev/null
for h in 'Strict-Transport-Security' 'X-Content-Type-Options: nosniff' \
    'Cache-Control: no-store'; do
	grep -qi "^$h" "$T/headers" || fail "header $h missing"
done
ok "security headers"

# TLS 1.1 and older are refused at the handshake.
if gnutls-cli --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.1:+VERS-TLS1.0' \
    --x509cafile "$D/ca/ca.pem" --port "$PORT" 127.0.0.1 </dev/null \
    >"$T/tls11" 2>&1; then
	fail "TLS 1.1 accepted"
fi
ok "TLS 1.1 refused"
gnutls-cli --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.2' \
    --x509cafile "$D/ca/ca.pem" --port "$PORT" 127.0.0.1 </dev/null \
    >"$T/tls12" 2>&1 || fail "TLS 1.2 refused"
ok "TLS 1.2 accepted"

# Enrolment: a token, a key and a CSR made with certtool.
"$B/canhgac" --data "$D" token create --unit "Phòng Kế toán" --json \
    >"$T/token.json" || fail "token create"
TOKEN=$(jq -r .token "$T/token.json")
certtool --generate-privkey --key-type ecdsa --curve secp256r1 \
    --outfile "$T/agent.key" >/dev/null 2>&1 || fail "certtool privkey"
printf 'cn = "may-ketoan-01"\n' >"$T/tmpl"
certtool --generate-request --load-privkey "$T/agent.key" \
    --template "$T/tmpl" --outfile "$T/csr.txt" >/dev/null 2>&1 ||
    fail "certtool request"
sed -n '/^-----BEGIN/,/^-----END/p' "$T/csr.txt" >"$T/agent.csr"
"$B/canhgac-agent" audit --root build/fixtures/hardened \
    --config tests/audit/probe-off.conf --format json >"$T/report.json" \
    2>/dev/null
[ -s "$T/report.json" ] || fail "agent audit"
HOST=$(jq -r .host.id "$T/report.json")

enrol_body() {	# token host_id
	jq -n --arg t "$1" --rawfile c "$T/agent.csr" --arg h "$2" \
	    '{token: $t, csr: $c, host_id: $h, hostname: "may-ketoan-01",
	      agent_version: "0.1.0"}'
}
enrol_body "$TOKEN" "$HOST" >"$T/enrol.json"
s=$(req -H 'Content-Type: application/json' --data-binary @"$T/enrol.json" \
    "$URL/api/v1/enroll")
expect "POST /api/v1/enroll" 201 "$s"
AGENT=$(jq -r .agent_id "$T/body")
jq -r .certificate "$T/body" >"$T/agent.pem"
[ "$(jq -r .unit "$T/body")" = "Phòng Kế toán" ] || fail "enrol: unit"
echo "$AGENT" | grep -Eq '^[0-9a-f]{32}$' || fail "enrol: agent id $AGENT"

s=$(req -H 'Content-Type: application/json' --data-binary @"$T/enrol.json" \
    "$URL/api/v1/enroll")
expect "enrol again with a used-up token" 403 "$s" token-used-up
enrol_body cg1_nosuchtokenatall "$HOST" >"$T/enrol2.json"
s=$(req --data-binary @"$T/enrol2.json" "$URL/api/v1/enroll")
expect "enrol with an unknown token" 401 "$s" token-unknown
s=$(req --data-binary '{"token": 1}' "$URL/api/v1/enroll")
expect "enrol with a malformed request" 400 "$s" bad-request
s=$(req --data-binary '{"token": ' "$URL/api/v1/enroll")
expect "enrol with broken JSON" 400 "$s" bad-json
s=$(req "$URL/api/v1/enroll")
expect "GET on a POST route" 405 "$s" method

AUTH="--cert $T/agent.pem --key $T/agent.key"
# shellcheck disable=SC2086
s=$(req $AUTH "$URL/api/v1/agent")
expect "GET /api/v1/agent" 200 "$s"
[ "$(jq -r .host_id "$T/body")" = "$HOST" ] || fail "agent: host_id"
[ "$(jq -r .revoked "$T/body")" = false ] || fail "agent: revoked"

batch() {	# batch-id host-id report-id
	jq -c --arg b "$1" --arg h "$2" --arg r "$3" \
	    '{schema: 1, batch: $b, agent: {version: "0.1.0"},
	      queue: {dropped_snapshots: 0, stripped: 0, refused: 0},
	      reports: [. + {report_id: $r} | .host.id = $h]}' \
	    "$T/report.json"
}
post() {	# file [curl options...]
	f=$1
	shift
	# shellcheck disable=SC2086
	req $AUTH -H 'Content-Type: application/json' "$@" \
	    --data-binary @"$f" "$URL/api/v1/batches"
}

batch 1b4e28ba-2fa1-11d2-883f-0016d3cca427 "$HOST" rep-00000001 >"$T/b1.json"
s=$(post "$T/b1.json")
expect "POST /api/v1/batches" 200 "$s"
[ "$(jq -r .status "$T/body")" = stored ] || fail "batch: status"
[ "$(jq -r .reports "$T/body")" = 1 ] || fail "batch: reports"
s=$(post "$T/b1.json")
expect "the same batch again" 200 "$s"
[ "$(jq -r .status "$T/body")" = duplicate ] || fail "batch: duplicate"

batch 2b4e28ba-2fa1-11d2-883f-0016d3cca427 "$HOST" rep-00000002 |
    gzip -c >"$T/b2.json.gz"
s=$(post "$T/b2.json.gz" -H 'Content-Encoding: gzip')
expect "a gzip batch" 200 "$s"
[ "$(jq -r .status "$T/body")" = stored ] || fail "gzip batch: status"

s=$(req --data-binary @"$T/b1.json" "$URL/api/v1/batches")
expect "a batch without a client certificate" 401 "$s" no-client-cert

# A certificate of another CA, with an agent's name.
certtool --generate-privkey --key-type ecdsa --curve secp256r1 \
    --outfile "$T/other.key" >/dev/null 2>&1
printf 'cn = "%s"\nserial = 1\nexpiration_days = 2\ntls_www_client\n' \
    "$AGENT" >"$T/tmpl2"
certtool --generate-self-signed --load-privkey "$T/other.key" \
    --template "$T/tmpl2" --outfile "$T/other.pem" >/dev/null 2>&1 ||
    fail "certtool self-signed"
s=$(req --cert "$T/other.pem" --key "$T/other.key" \
    --data-binary @"$T/b1.json" "$URL/api/v1/batches")
expect "a certificate of another CA" 401 "$s" bad-client-cert

batch 3b4e28ba-2fa1-11d2-883f-0016d3cca427 h-someone-else rep-00000003 \
    >"$T/b3.json"
s=$(post "$T/b3.json")
expect "a report about another host" 403 "$s" host-mismatch
[ "$(jq -r .error.path "$T/body")" = 'reports[0].host.id' ] ||
    fail "host-mismatch: path"

printf '{"schema": 1, "batch": "4b4e28ba", "reports": [' >"$T/b4.json"
s=$(post "$T/b4.json")
expect "malformed JSON" 400 "$s" bad-json
s=$(post "$T/b1.json" -H 'Content-Encoding: br')
expect "an unknown Content-Encoding" 415 "$s" encoding

head -c 300000 /dev/zero | tr '\0' ' ' >"$T/big.json"
s=$(post "$T/big.json")
expect "a body over batch-max-bytes" 413 "$s" too-large

# A gzip bomb: small as sent, over batch-max-inflated once inflated.
head -c 40000000 /dev/zero | gzip -9 -c >"$T/bomb.gz"
s=$(post "$T/bomb.gz" -H 'Content-Encoding: gzip')
expect "a gzip bomb" 413 "$s" too-large

# The rate limit: 9 batches at once, then one a minute. Those above were
# 8 (the 413 on Content-Length is refused before the bucket).
n=0
while :; do
	s=$(post "$T/b1.json")
	[ "$s" = 429 ] && break
	n=$((n + 1))
	[ $n -lt 20 ] || fail "no rate limit after 20 batches"
done
grep -qi '^Retry-After: [1-9]' "$T/headers" || fail "429 without Retry-After"
jq -e '.error.code == "rate-limited"' "$T/body" >/dev/null ||
    fail "429 code"
ok "rate limit (429 with Retry-After)"

s=$(req "$URL/metrics")
expect "GET /metrics" 200 "$s"
grep -q '^canhgac_batches_total{result="stored"} 2$' "$T/body" ||
    fail "metrics: stored batches"
grep -q '^canhgac_batches_refused_total{code="host-mismatch"} 1$' \
    "$T/body" || fail "metrics: refusals"
grep -q '^# TYPE canhgac_batch_duration_seconds histogram' "$T/body" ||
    fail "metrics: histogram"
grep -q '^process_resident_memory_bytes [1-9]' "$T/body" ||
    fail "metrics: rss"

"$B/canhgac" --data "$D" agent revoke "$AGENT" >/dev/null 2>&1 ||
    fail "canhgac agent revoke"
# shellcheck disable=SC2086
s=$(req $AUTH "$URL/api/v1/agent")
expect "GET /api/v1/agent of a revoked agent" 200 "$s"
[ "$(jq -r .revoked "$T/body")" = true ] || fail "agent: revoked flag"
# Wait for a token (one a minute) only if needed: the revoked refusal
# comes after the rate check, so use a fresh bucket: restart the server.
kill -TERM "$PID"
wait "$PID"
st=$?
PID=
[ $st -eq 0 ] || fail "canhgacd exit status $st on SIGTERM"
grep -q 'event=server.stopped' "$T/server.log" || fail "no clean stop"
ok "SIGTERM stops cleanly"
"$B/canhgacd" --data "$D" -v >>"$T/server.log" 2>&1 &
PID=$!
i=0
until curl -fsS --cacert "$D/ca/ca.pem" "$URL/api/v1/ca" >/dev/null \
    2>&1; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "canhgacd did not restart"
	sleep 0.1
done
s=$(post "$T/b1.json")
expect "a batch from a revoked agent" 403 "$s" agent-revoked
grep -q 'event=batch.refused code=agent-revoked' "$T/server.log" ||
    fail "refusal not logged"

# A listen address that cannot be bound is named.
if "$B/canhgacd" --data "$D" >"$T/bind.log" 2>&1; then
	fail "a second canhgacd on the same port started"
fi
grep -q "127.0.0.1:$PORT" "$T/bind.log" || fail "bind error names no address"
ok "busy address named"

echo "api-smoke: tất cả đều đạt — all passed"
exit 0
