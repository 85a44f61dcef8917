#!/bin/sh
# 020-kill-server.sh — canhgacd killed with SIGKILL while 50 agents upload
# (issue 3, "Done when": every acknowledged batch is stored exactly once,
# the unacknowledged ones arrive when the agents reconnect). Killed twice:
# once at a random moment, once by the fault point ingest-after-commit (a
# batch committed but never acknowledged, so its agent sends it again and
# must be answered "duplicate"). Then the agents drain, stop, and each runs
# once more with --once; the store must hold exactly what they queued.
# CG_AGENTS changes the number of agents (default 50). Fifty ASan agents
# each running --once at the end take minutes on a busy 2-core machine:
# timeout: 600
# Messages quote with “ ”; helpers take optional arguments.
# shellcheck disable=SC1111,SC2119
set -eu
# shellcheck source=tests/server/lib.sh
. "$(dirname "$0")/lib.sh"

N=${CG_AGENTS:-50}
UNIT="Bộ phận Một cửa"

# each_agent CMD: runs CMD N for every agent, a few at a time; fails when
# one of them failed.
each_agent() {
	_i=1
	while [ "$_i" -le "$N" ]; do
		_pids=""
		_j=0
		while [ "$_j" -lt 5 ] && [ "$_i" -le "$N" ]; do
			"$@" "$_i" &
			_pids="$_pids $!"
			_i=$((_i + 1))
			_j=$((_j + 1))
		done
		for _p in $_pids; do
			wait "$_p" || fail "$* (một agent / one agent)"
		done
	done
}

once_ok() {
	agent_once "$1" || fail "agent $1: run --once thoát với mã $? — exited $? ($T/a$1/agent.log)"
}

acked_total() {
	cat "$T"/a*/agent.log | grep -c 'event=batch\.acknowledged' || true
}
acked_at_least() {
	[ "$(acked_total)" -ge "$1" ]
}
server_gone() {
	! alive "$SERVER_PID"
}
# Every agent logged an acknowledgement after the line count saved in
# its mark file.
all_acked_since_mark() {
	_i=1
	while [ "$_i" -le "$N" ]; do
		_m=$(cat "$T/a$_i/mark")
		tail -n "+$((_m + 1))" "$T/a$_i/agent.log" |
		    grep -q 'event=batch\.acknowledged' || return 1
		_i=$((_i + 1))
	done
}

step "init, canhgacd; $N agents enrolled"
server_init
# The fault test is not about the rate limit: let every batch through.
server_conf rate-limit 100000 1000000
server_start
token_create "$UNIT" --uses "$N"
i=1
while [ "$i" -le "$N" ]; do
	agent_root "$i"
	agent_conf "$i" "interval 10s" "retry-min 100ms" "retry-max 2s"
	i=$((i + 1))
done
each_agent agent_enroll
expect_eq "$(sql 'SELECT count(*) FROM agents')" "$N" "agent đã đăng ký — agents enrolled"

step "$N agents running; canhgacd killed (SIGKILL) at a random moment"
i=1
while [ "$i" -le "$N" ]; do
	agent_start "$i"
	i=$((i + 1))
done
# While the first reports of the agents arrive: after 1 to N/2 of them.
want=$((1 + $(rand $((N / 2)))))
poll 180 acked_at_least "$want" ||
    fail "chưa có $want lô được xác nhận — fewer than $want batches acknowledged"
sleep "0.$(rand 4)"
server_kill
echo "killed after $(acked_total) acknowledgements"

K=$((1 + $(rand 8)))
step "restart with CANHGAC_FAULT=ingest-after-commit@$K"
server_start "ingest-after-commit@$K"
fault_pid=$SERVER_PID
poll 180 server_gone ||
    fail "canhgacd không dừng ở điểm lỗi ingest-after-commit@$K — did not stop at the fault point"
rc=0
reap "$fault_pid" || rc=$?
expect_eq "$rc" 137 "canhgacd bị SIGKILL tại điểm lỗi — killed by SIGKILL at the fault point"
echo "--- canhgacd killed at ingest-after-commit@$K" >>"$T/canhgacd.log"
i=1
while [ "$i" -le "$N" ]; do
	wc -l <"$T/a$i/agent.log" >"$T/a$i/mark"
	i=$((i + 1))
done

step "restart; agents reconnect and drain"
server_start
poll 180 all_acked_since_mark ||
    fail "không phải agent nào cũng gửi lại được — not every agent delivered again"
nfailed=$(cat "$T"/a*/agent.log | grep -c 'event=upload\.failed' || true)
echo "$nfailed failed uploads retried"
ndup=$(cat "$T"/a*/agent.log | grep -c 'event=batch\.acknowledged.*status=duplicate' || true)
[ "$ndup" -ge 1 ] ||
    fail "không lô nào được trả lời duplicate sau ingest-after-commit — no batch answered duplicate after ingest-after-commit"
echo "$ndup batch(es) answered duplicate"

step "agents stopped (SIGTERM), then run --once each"
i=1
while [ "$i" -le "$N" ]; do
	kill -TERM "$(cat "$T/a$i/pid")" 2>/dev/null || true
	i=$((i + 1))
done
i=1
while [ "$i" -le "$N" ]; do
	agent_stop "$i"
	i=$((i + 1))
done
each_agent once_ok
server_stop

step "assertions on the store"
integrity_ok
i=1
while [ "$i" -le "$N" ]; do
	acked_batches "$i"
	i=$((i + 1))
done | sort -u >"$T/acked.ids"
sql 'SELECT batch_id FROM batches' | sort >"$T/stored.ids"
nacked=$(wc -l <"$T/acked.ids")
[ "$nacked" -ge "$N" ] || fail "chỉ $nacked lô được xác nhận — only $nacked batches acknowledged"
dups=$(uniq -d "$T/stored.ids" | head -n 3 | tr '\n' ' ')
[ -z "$dups" ] || fail "lô lưu hai lần — batches stored twice: $dups"
missing=$(sort -u "$T/stored.ids" | comm -23 "$T/acked.ids" - | head -n 3 | tr '\n' ' ')
[ -z "$missing" ] || fail "lô đã xác nhận mà không có trong kho — acknowledged batches missing from the store: $missing"
twice=$(sql 'SELECT report_id FROM reports GROUP BY report_id HAVING count(*) > 1' | head -n 3 | tr '\n' ' ')
[ -z "$twice" ] || fail "báo cáo lưu hai lần — reports stored twice: $twice"
nq=0
i=1
while [ "$i" -le "$N" ]; do
	h=$(agent_json "$i" host_id)
	queued_reports "$i" | sort >"$T/a$i/queued.ids"
	sql "SELECT r.report_id FROM reports r JOIN hosts h ON h.hid = r.hid
	    WHERE h.id = '$h'" | sort >"$T/a$i/stored.ids"
	q=$(wc -l <"$T/a$i/queued.ids")
	s=$(wc -l <"$T/a$i/stored.ids")
	[ "$q" -ge 2 ] || fail "agent $i chỉ xếp hàng $q báo cáo — queued only $q reports"
	expect_eq "$s" "$q" "agent $i: báo cáo trong kho / xếp hàng — reports stored / queued"
	cmp -s "$T/a$i/queued.ids" "$T/a$i/stored.ids" ||
	    fail "agent $i: mã báo cáo trong kho khác mã đã xếp hàng — stored report ids differ from the queued ones"
	nq=$((nq + q))
	i=$((i + 1))
done
echo "$N agents, $nq reports queued and stored once, $nacked batches acknowledged, $ndup duplicate"
passed
