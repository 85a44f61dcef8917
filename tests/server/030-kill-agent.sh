#!/bin/sh
# 030-kill-agent.sh — one agent killed with SIGKILL at each moment where
# durability is decided (issue 3, "Done when": an agent killed mid-upload
# loses nothing and doubles nothing): in the middle of sending a batch
# (fault point upload-mid), after the server's acknowledgement and before
# the queue forgets the batch (upload-after-ack: the batch is sent again
# and answered "duplicate"), and at a random moment of `run`. Each time it
# is restarted with run --once, and the store must hold every report it
# queued, once.
# Messages quote with “ ”; helpers take optional arguments.
# shellcheck disable=SC1111,SC2119
set -eu
# shellcheck source=tests/server/lib.sh
. "$(dirname "$0")/lib.sh"

acked_n() {
	[ "$(count_lines 'event=batch\.acknowledged' "$T/a1/agent.log")" -ge "$1" ]
}
# killed_once FAULT: run --once with the fault point; it must die of it.
killed_once() {
	rc=0
	agent_once 1 "$1" || rc=$?
	expect_eq "$rc" 137 "run --once với / with CANHGAC_FAULT=$1: mã thoát / exit status"
}
once_ok() {
	rc=0
	agent_once 1 || rc=$?
	[ "$rc" -eq 0 ] || { tail -n 15 "$T/a1/agent.log" >&2; fail "run --once thoát với mã $rc — exited $rc"; }
}

step "init, canhgacd, one agent enrolled"
server_init
server_conf rate-limit 100000 1000000
server_start
token_create "Phòng Tài chính"
agent_root 1
agent_conf 1 "interval 1s" "retry-min 100ms" "retry-max 1s"
agent_enroll 1
host=$(agent_json 1 host_id)

step "killed at upload-mid"
killed_once upload-mid
expect_eq "$(count_lines 'event=report\.queued' "$T/a1/agent.log")" 1 "báo cáo đã xếp hàng — reports queued"
expect_eq "$(sql 'SELECT count(*) FROM batches')" 0 "lô trong kho sau upload-mid — batches stored after upload-mid"
once_ok
expect_eq "$(store_reports "$host")" 2 "báo cáo trong kho — reports stored"

step "killed at upload-after-ack"
mark=$(wc -l <"$T/a1/agent.log")
killed_once upload-after-ack
nb=$(sql 'SELECT count(*) FROM batches')
expect_eq "$(store_reports "$host")" 3 "báo cáo trong kho sau upload-after-ack — reports stored after upload-after-ack"
once_ok
tail -n "+$((mark + 1))" "$T/a1/agent.log" >"$T/after-ack.log"
expect_file_has "$T/after-ack.log" "status=duplicate" "lô gửi lại sau upload-after-ack — the batch sent again after upload-after-ack"
expect_eq "$(sql 'SELECT count(*) FROM batches')" $((nb + 1)) "lô trong kho — batches stored (the resent one not twice)"
expect_eq "$(store_reports "$host")" 4 "báo cáo trong kho — reports stored"

step "fault points counted: upload-after-ack@2 with two batches queued"
# Two reports queued while the server is away, one batch each, then the
# second acknowledgement is lost.
agent_conf 1 "interval 1s" "retry-min 100ms" "retry-max 1s" "batch-reports 1"
server_stop
agent_once 1 || true
server_start
killed_once upload-after-ack@2
once_ok

step "plain SIGKILL during run, three times"
r=1
while [ "$r" -le 3 ]; do
	n=$(count_lines 'event=batch\.acknowledged' "$T/a1/agent.log")
	agent_start 1
	poll 60 acked_n $((n + 1)) || fail "run không gửi được — run delivered nothing"
	sleep "0.$(rand 10)$(rand 10)"
	kill -KILL "$(cat "$T/a1/pid")"
	reap "$(cat "$T/a1/pid")" || true
	echo "--- killed (SIGKILL)" >>"$T/a1/agent.log"
	r=$((r + 1))
done
once_ok

step "nothing lost, nothing doubled"
server_stop
integrity_ok
queued_reports 1 | sort >"$T/queued.ids"
sql "SELECT r.report_id FROM reports r JOIN hosts h ON h.hid = r.hid
    WHERE h.id = '$host'" | sort >"$T/stored.ids"
q=$(wc -l <"$T/queued.ids")
expect_eq "$(sort -u "$T/queued.ids" | wc -l)" "$q" "mã báo cáo xếp hàng là duy nhất — queued report ids are unique"
expect_eq "$(wc -l <"$T/stored.ids")" "$q" "báo cáo trong kho / đã xếp hàng — reports stored / queued"
cmp -s "$T/queued.ids" "$T/stored.ids" ||
    fail "mã báo cáo trong kho khác mã đã xếp hàng — stored report ids differ from the queued ones"
twice=$(sql 'SELECT batch_id FROM batches GROUP BY agent_id, batch_id HAVING count(*) > 1')
[ -z "$twice" ] || fail "lô lưu hai lần — batches stored twice: $twice"
echo "$q reports queued and stored once"
passed
