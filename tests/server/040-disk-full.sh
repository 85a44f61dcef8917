#!/bin/sh
# 040-disk-full.sh — the server's disk full (issue 3, "Done when": a clear
# error, no corruption, recovery when space returns). As root, the test
# runs in its own mount namespace (unshare -m) with the data directory on
# a tmpfs of a few MB filled by a filler file; otherwise (or with
# CG_DISKFULL=max-size) canhgacd.conf's store-max-size bounds the store
# to 1M and a filler row fills it instead. Either way the agent's upload gets 503
# store-full, canhgacd logs that the disk is full in Vietnamese and
# English, the agent keeps the report queued, the store passes
# PRAGMA integrity_check, and once space returns run --once delivers.
# Messages quote with “ ”; helpers take optional arguments.
# shellcheck disable=SC1111,SC2119
set -eu

# As root, re-run this script in a private mount namespace, so that the
# tmpfs is seen by canhgacd and sqlite3 here and by nothing else.
if [ -z "${CG_IN_NS:-}" ] && [ "${CG_DISKFULL:-tmpfs}" = tmpfs ] &&
    [ "$(id -u)" -eq 0 ] && unshare -m --propagation private true 2>/dev/null; then
	CG_IN_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi
# shellcheck source=tests/server/lib.sh
. "$(dirname "$0")/lib.sh"

mode=max-size
[ -n "${CG_IN_NS:-}" ] && mode=tmpfs

step "init, canhgacd, one agent enrolled"
server_init
server_start
token_create "Văn phòng UBND phường"
agent_root 1
agent_conf 1 "retry-min 100ms" "retry-max 1s"
agent_enroll 1
host=$(agent_json 1 host_id)

if [ "$mode" = tmpfs ]; then
	server_stop
	mv "$D" "$T/data.init"
	mkdir "$D"
	if mount -t tmpfs -o size=4m,mode=0750 canhgac-test "$D" 2>"$T/mount.err"; then
		echo "đường thử: tmpfs đầy (unshare -m) — path: a full tmpfs (unshare -m)"
		cp -a "$T/data.init/." "$D/"
		server_start
		# Fill every block left; the next batch (the check catalogue
		# and the first findings of the host) needs more than the WAL
		# holds already.
		dd if=/dev/zero of="$D/filler" bs=4k 2>/dev/null || true
		df -k "$D" | tail -n 1
	else
		echo "mount tmpfs: $(cat "$T/mount.err")"
		rmdir "$D"
		mv "$T/data.init" "$D"
		server_start
		mode=max-size
	fi
fi
if [ "$mode" = max-size ]; then
	echo "đường thử: store-max-size (không phải root hoặc không có unshare) — path: store-max-size (not root or no unshare)"
	# store-max-size is at least 1M: a filler row (an event of the kind
	# test.filler) grows the store to a few pages under 1M, so that the
	# next batch cannot be stored; deleting it gives the pages back.
	server_stop
	server_conf store-max-size 1M
	psize=$(sqlite3 "$D/store.db" 'PRAGMA page_size')
	pages=$(sqlite3 "$D/store.db" 'PRAGMA wal_checkpoint(TRUNCATE); PRAGMA page_count' | tail -n 1)
	fill=$(((1048576 / psize - pages - 4) * (psize - 64)))
	[ "$fill" -gt 0 ] || fail "kho đã lớn hơn 1M — the store is already over 1M"
	sqlite3 "$D/store.db" "INSERT INTO events(time, kind, detail)
	    VALUES (0, 'test.filler', printf('%.*c', $fill, 'x'))"
	echo "store: $(sqlite3 "$D/store.db" 'PRAGMA page_count') of $((1048576 / psize)) pages"
	server_start
fi

step "run --once: 503 store-full, the report stays queued"
rc=0
agent_once 1 || rc=$?
[ "$rc" -eq 3 ] || { tail -n 15 "$T/a1/agent.log" >&2; fail "run --once khi đĩa đầy thoát với mã $rc, cần 3 — exited $rc with the disk full, want 3"; }
grep 'event=upload\.failed' "$T/a1/agent.log" | grep 'http=503' | grep -q 'code=store-full' ||
    fail "agent.log không có upload.failed http=503 code=store-full — lacks it"
grep -q 'đĩa đầy\|hết chỗ' "$T/canhgacd.log" ||
    fail "canhgacd.log không báo đĩa đầy (tiếng Việt) — does not say the disk is full in Vietnamese"
grep -qi 'disk full\|disk is full\|no space' "$T/canhgacd.log" ||
    fail "canhgacd.log does not say the disk is full in English"
expect_eq "$(count_lines 'event=report\.queued' "$T/a1/agent.log")" 1 "báo cáo đã xếp hàng — reports queued"
expect_eq "$(count_lines 'event=batch\.acknowledged' "$T/a1/agent.log")" 0 "lô được xác nhận khi đĩa đầy — batches acknowledged with the disk full"
"$CGA" status --state "$T/a1/state" --config "$T/a1/agent.conf" >"$T/status.out" 2>&1 ||
    fail "canhgac-agent status"
grep -Eq 'reports waiting[^0-9]*1$' "$T/status.out" ||
    fail "canhgac-agent status không cho thấy 1 báo cáo chờ — does not show 1 report waiting"
integrity_ok
expect_eq "$(store_reports "$host")" 0 "báo cáo trong kho khi đĩa đầy — reports stored with the disk full"
alive "$SERVER_PID" || fail "canhgacd đã dừng vì đĩa đầy — canhgacd exited on a full disk"

step "space returns: run --once delivers"
if [ "$mode" = tmpfs ]; then
	rm -f "$D/filler"
else
	sqlite3 -cmd '.timeout 10000' "$D/store.db" \
	    "DELETE FROM events WHERE kind = 'test.filler'"
fi
rc=0
agent_once 1 || rc=$?
[ "$rc" -eq 0 ] || { tail -n 15 "$T/a1/agent.log" >&2; fail "run --once sau khi có chỗ thoát với mã $rc — exited $rc after space returned"; }
expect_eq "$(store_reports "$host")" 2 "báo cáo trong kho — reports stored"
cg hosts --json >"$T/hosts.json" || fail "canhgac hosts --json"
jq -e --arg h "$host" 'any(.[]; .id == $h and .score != null)' "$T/hosts.json" >/dev/null ||
    fail "canhgac hosts không có máy $host — does not list host $host"
integrity_ok
server_stop
passed "$mode"
