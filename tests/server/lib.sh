# lib.sh — what the server's end-to-end and fault tests (tests/server/
# NNN-name.sh) share: a free port on 127.0.0.1, a data directory made by
# `canhgac init`, canhgacd started and stopped, enrolment tokens, agents
# each with their own state directory and made-up root, and reads of the
# store for the assertions. Sourced, not run; tests/server/run.sh sets the
# environment (below) and a test run alone finds the defaults.
#
#   CGD CG CGA	the programs (default: build/asan/canhgacd, canhgac,
#		canhgac-agent)
#   CG_TEST_DIR	the test's scratch directory, kept as an artefact
#
# Every process a test starts is recorded in $T/pids and killed (by its
# id) when the test ends, whatever the reason. Only 127.0.0.1 is used.
# shellcheck shell=sh disable=SC1111,SC2034

CG_SRC=$(cd "$(dirname "$0")/../.." && pwd)
CGD=${CGD:-$CG_SRC/build/asan/canhgacd}
CG=${CG:-$CG_SRC/build/asan/canhgac}
CGA=${CGA:-$CG_SRC/build/asan/canhgac-agent}
CG_FIXTURES=${CG_FIXTURES:-$CG_SRC/build/fixtures}
T=${CG_TEST_DIR:-$CG_SRC/build/tests/server/$(basename "$0" .sh)}
D=$T/data
PROBE_OFF=$CG_SRC/tests/audit/probe-off.conf
PORT=""
URL=""
FPR=""
SERVER_PID=""
TOKEN=""
TOKEN_FPR=""

# No proxy may carry the tests' traffic anywhere: everything is loopback.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
NO_PROXY='*'
no_proxy='*'
export NO_PROXY no_proxy
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS
unset CANHGAC_FAULT CANHGAC_DATA

for p in "$CGD" "$CG" "$CGA"; do
	[ -x "$p" ] || {
		echo "thiếu chương trình $p — missing program $p" >&2
		exit 2
	}
done
[ -d "$CG_FIXTURES/weak" ] || {
	echo "thiếu $CG_FIXTURES (make fixtures) — missing fixtures" >&2
	exit 2
}
rm -rf "$T"
mkdir -p "$T"
: >"$T/pids"

# ---- messages and assertions ------------------------------------------

CG_T0=$(date +%s)
step() {
	echo "== [$(($(date +%s) - CG_T0))s] $*"
}

fail() {
	echo "không đạt / FAIL: $*" >&2
	exit 1
}

# soft_fail MSG: a failure that does not stop the test, so that one
# missing piece does not hide what else is wrong; passed() then fails.
soft_fail() {
	echo "không đạt / FAIL: $*" >&2
	echo "$*" >>"$T/failures"
}

# passed: the test's last line.
passed() {
	if [ -s "$T/failures" ]; then
		fail "$(wc -l <"$T/failures") lỗi ở trên — failures above"
	fi
	echo "đạt / pass${1:+ ($1)}"
}

# expect_eq GOT WANT WHAT
expect_eq() {
	[ "$1" = "$2" ] || fail "$3: có / got “$1”, cần / want “$2”"
}

# expect_file_has FILE TEXT WHAT: a fixed string in a file.
expect_file_has() {
	grep -qF -- "$2" "$1" 2>/dev/null ||
	    fail "$3: $(basename "$1") không có / lacks “$2”"
}

# poll SECONDS CMD...: runs CMD every 0.2 s until it succeeds (0) or the
# time is up (1). The bound only keeps a broken program from hanging the
# suite; no test asserts on how long anything took.
poll() {
	_end=$(($(date +%s) + $1))
	shift
	while :; do
		"$@" && return 0
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.2
	done
}

# rand N: a random number in 0..N-1.
rand() {
	echo $(($(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % $1))
}

uuid() {
	cat /proc/sys/kernel/random/uuid
}

# ---- processes ----------------------------------------------------------

# alive PID: the process exists and is not a zombie.
alive() {
	_s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$_s" ] && [ "$_s" != Z ] && [ "$_s" != X ]
}

track() {
	echo "$1" >>"$T/pids"
}

# reap PID: waits for a process of ours that ended or was killed; prints
# nothing, returns its status.
reap() {
	_rc=0
	wait "$1" 2>/dev/null || _rc=$?
	return "$_rc"
}

cleanup() {
	_st=$?
	trap - EXIT INT TERM
	if [ -s "$T/pids" ]; then
		while read -r _p; do
			if alive "$_p"; then
				kill -KILL "$_p" 2>/dev/null || true
				wait "$_p" 2>/dev/null || true
			fi
		done <"$T/pids"
	fi
	exit "$_st"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- the server ---------------------------------------------------------

# free_port: a TCP port on which nothing listens or talks on this machine.
free_port() {
	while :; do
		_p=$((20000 + $(rand 40000)))
		_h=$(printf ':%04X ' "$_p")
		if ! cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		    grep -qi -- "$_h"; then
			echo "$_p"
			return
		fi
	done
}

# server_init [DIR]: canhgac init of a fresh data directory (default $D)
# listening on a free loopback port; sets PORT, URL and FPR (the CA's
# fingerprint).
server_init() {
	_d=${1:-$D}
	PORT=$(free_port)
	URL=https://127.0.0.1:$PORT
	"$CG" init --data "$_d" --listen "127.0.0.1:$PORT" --url "$URL" \
	    --name 127.0.0.1 --name localhost --generate-password \
	    >"$T/init.out" 2>&1 || {
		cat "$T/init.out" >&2
		fail "canhgac init"
	}
	grep -q "^listen 127.0.0.1:$PORT" "$_d/canhgacd.conf" ||
	    fail "canhgacd.conf không nghe cổng $PORT — does not listen on $PORT"
	FPR=$(grep -o 'SHA256:[0-9a-fA-F:]*' "$T/init.out" | head -n 1)
	[ -n "$FPR" ] || fail "canhgac init không in vân tay CA — printed no CA fingerprint"
}

# server_conf KEY VALUE...: sets a key of canhgacd.conf (replacing it).
server_conf() {
	_k=$1
	shift
	sed -i "/^[[:space:]]*${_k}[[:space:]]/d" "$D/canhgacd.conf"
	echo "$_k $*" >>"$D/canhgacd.conf"
}

answers() {
	curl -sS --noproxy '*' --max-time 5 --cacert "$D/ca/ca.pem" \
	    -o /dev/null "$URL/api/v1/ca" 2>/dev/null
}

up_or_gone() {
	answers || ! alive "$SERVER_PID"
}

# server_start [FAULT]: starts canhgacd on $D (with CANHGAC_FAULT=FAULT
# when given), its output appended to $T/canhgacd.log, and waits until it
# answers on its port (with a fault point, it may also have died of it
# already). Sets SERVER_PID.
server_start() {
	echo "--- canhgacd start ${1:+(CANHGAC_FAULT=$1)}" >>"$T/canhgacd.log"
	if [ -n "${1:-}" ]; then
		env CANHGAC_FAULT="$1" "$CGD" --data "$D" >>"$T/canhgacd.log" 2>&1 &
	else
		"$CGD" --data "$D" >>"$T/canhgacd.log" 2>&1 &
	fi
	SERVER_PID=$!
	track "$SERVER_PID"
	poll 60 up_or_gone || {
		tail -n 20 "$T/canhgacd.log" >&2
		fail "canhgacd không trả lời trên cổng $PORT — does not answer on port $PORT"
	}
	if ! alive "$SERVER_PID" && [ -z "${1:-}" ]; then
		tail -n 20 "$T/canhgacd.log" >&2
		fail "canhgacd đã dừng — canhgacd exited"
	fi
}

# server_stop: SIGTERM, and the server must exit cleanly (status 0).
server_stop() {
	kill -TERM "$SERVER_PID" 2>/dev/null || true
	_rc=0
	reap "$SERVER_PID" || _rc=$?
	[ "$_rc" -eq 0 ] || {
		tail -n 20 "$T/canhgacd.log" >&2
		fail "canhgacd thoát với mã $_rc sau SIGTERM — exited $_rc after SIGTERM"
	}
	SERVER_PID=""
}

# server_kill: SIGKILL now.
server_kill() {
	kill -KILL "$SERVER_PID" 2>/dev/null || true
	reap "$SERVER_PID" || true
	echo "--- canhgacd killed (SIGKILL)" >>"$T/canhgacd.log"
	SERVER_PID=""
}

# ---- the administrator's command line ---------------------------------

cg() {
	"$CG" --data "$D" "$@"
}

# token_create UNIT [OPTIONS...]: sets TOKEN and TOKEN_FPR from what
# `canhgac token create` printed (kept in $T/token.out).
token_create() {
	_u=$1
	shift
	cg token create --unit "$_u" "$@" >"$T/token.out" 2>&1 || {
		cat "$T/token.out" >&2
		fail "canhgac token create --unit $_u $*"
	}
	TOKEN=$(grep -o 'cg1_[A-Za-z0-9_-]*' "$T/token.out" | head -n 1)
	TOKEN_FPR=$(grep -o 'SHA256:[0-9a-fA-F:]*' "$T/token.out" | head -n 1)
	[ -n "$TOKEN" ] || fail "token create không in mã — printed no token"
	[ -n "$TOKEN_FPR" ] || fail "token create không in vân tay CA — printed no CA fingerprint"
}

# ---- agents -------------------------------------------------------------

# agent_root N: a made-up computer for agent N, with its own machine-id
# (so its own host.id) and host name, a Debian 12 os-release and an SSH
# server allowing root: enough for a report with findings, quickly.
agent_root() {
	_r=$T/a$1/root
	mkdir -p "$_r/etc/ssh"
	printf '%s%08x\n' "$(printf '%s' "$T" | md5sum | cut -c1-24)" "$1" \
	    >"$_r/etc/machine-id"
	printf 'may-%s\n' "$1" >"$_r/etc/hostname"
	cp "$CG_FIXTURES/hardened/etc/os-release" "$_r/etc/os-release"
	printf 'PermitRootLogin yes\nPasswordAuthentication yes\n' \
	    >"$_r/etc/ssh/sshd_config"
}

# agent_conf N [LINES...]: the agent's configuration: no Internet probe,
# its state directory, then the lines given.
agent_conf() {
	_c=$T/a$1/agent.conf
	mkdir -p "$T/a$1"
	{
		echo "internet-probe off"
		echo "state-dir $T/a$1/state"
		shift
		for _l in "$@"; do
			echo "$_l"
		done
	} >"$_c"
}

# agent_enroll N [ROOT]: enrols agent N with $TOKEN and $TOKEN_FPR into
# $T/aN/state (root $T/aN/root unless given).
agent_enroll() {
	_a=$T/a$1
	"$CGA" enroll --server "$URL" --token "$TOKEN" \
	    --ca-fingerprint "$TOKEN_FPR" --state "$_a/state" \
	    --root "${2:-$_a/root}" >>"$_a/enroll.log" 2>&1 || {
		tail -n 5 "$_a/enroll.log" >&2
		fail "agent $1: canhgac-agent enroll"
	}
}

# agent_fixture N FIXTURE: enrols agent N on a fixture tree of
# build/fixtures and sends its audit once.
agent_fixture() {
	mkdir -p "$T/a$1"
	agent_enroll "$1" "$CG_FIXTURES/$2"
	"$CGA" run --once --state "$T/a$1/state" --root "$CG_FIXTURES/$2" \
	    --config "$PROBE_OFF" >"$T/a$1/agent.log" 2>&1 ||
	    { tail -n 20 "$T/a$1/agent.log" >&2; fail "agent $1 run --once"; }
}

# agent_json N MEMBER: a member of the enrolment (state/agent.json).
agent_json() {
	jq -r ".$2" "$T/a$1/state/agent.json"
}

# agent_once N [FAULT]: one `run --once` of agent N, output appended to
# $T/aN/agent.log; returns its exit status.
agent_once() {
	_a=$T/a$1
	echo "--- run --once ${2:+(CANHGAC_FAULT=$2)}" >>"$_a/agent.log"
	_rc=0
	if [ -n "${2:-}" ]; then
		env CANHGAC_FAULT="$2" "$CGA" run --once --state "$_a/state" \
		    --root "$_a/root" --config "$_a/agent.conf" \
		    >>"$_a/agent.log" 2>&1 || _rc=$?
	else
		"$CGA" run --once --state "$_a/state" --root "$_a/root" \
		    --config "$_a/agent.conf" >>"$_a/agent.log" 2>&1 || _rc=$?
	fi
	echo "--- exit $_rc" >>"$_a/agent.log"
	return "$_rc"
}

# agent_start N: `run` as a daemon in the background; its pid goes to
# $T/aN/pid.
agent_start() {
	_a=$T/a$1
	echo "--- run (daemon)" >>"$_a/agent.log"
	"$CGA" run --state "$_a/state" --root "$_a/root" \
	    --config "$_a/agent.conf" >>"$_a/agent.log" 2>&1 &
	echo $! >"$_a/pid"
	track $!
}

# agent_stop N: SIGTERM; the agent must finish its step and exit 0.
agent_stop() {
	_p=$(cat "$T/a$1/pid")
	kill -TERM "$_p" 2>/dev/null || true
	_rc=0
	reap "$_p" || _rc=$?
	echo "--- daemon exit $_rc" >>"$T/a$1/agent.log"
	[ "$_rc" -eq 0 ] || fail "agent $1 thoát với mã $_rc sau SIGTERM — exited $_rc after SIGTERM"
}

# Lines the agent logs (logfmt), from the log of agent N.
acked_batches() {
	grep -ho 'event=batch\.acknowledged .*' "$T/a$1/agent.log" |
	    sed -n 's/.* batch=\([^ ]*\).*/\1/p'
}
queued_reports() {
	grep -ho 'event=report\.queued .*' "$T/a$1/agent.log" |
	    sed -n 's/.* report=\([^ ]*\).*/\1/p'
}
count_lines() {
	grep -c "$1" "$2" 2>/dev/null || true
}

# ---- the store ------------------------------------------------------------

# sql SQL: a query on the store, read-only (works while canhgacd runs).
sql() {
	sqlite3 -batch -bail -readonly -cmd '.timeout 10000' "$D/store.db" "$1"
}

integrity_ok() {
	_i=$(sql 'PRAGMA integrity_check')
	expect_eq "$_i" ok "PRAGMA integrity_check"
}

# Reports the store holds for a host (by host id).
store_reports() {
	sql "SELECT count(*) FROM reports r JOIN hosts h ON h.hid = r.hid
	    WHERE h.id = '$1'"
}

# events_with TEXT: events whose kind or detail holds TEXT.
events_with() {
	sql "SELECT count(*) FROM events WHERE kind || ' ' ||
	    coalesce(detail, '') LIKE '%$1%'"
}

# ---- the web console (060–090) ---------------------------------------------

# The last answer's headers and body.
H=$T/headers
B=$T/body

# console JAR PATH [CURL OPTIONS...]: one request to the console with the
# cookie jar JAR; prints the status, the headers go to $H, the body to $B.
console() {
	_j=$1
	_p=$2
	shift 2
	curl -sS --noproxy '*' --max-time 60 --cacert "$D/ca/ca.pem" \
	    -b "$_j" -c "$_j" -D "$H" -o "$B" -w '%{http_code}' "$@" \
	    "$URL$_p"
}

# header NAME: the value of a header of the last answer (the first one).
header() {
	tr -d '\r' <"$H" | grep -i "^$1:" | head -n 1 | sed 's/^[^:]*: *//'
}

# csrf: the CSRF token in the last page's forms.
csrf() {
	sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$B" | head -n 1
}

# cookie JAR NAME: a cookie's value in a jar.
cookie() {
	awk -v n="$2" '$6 == n { v = $7 } END { print v }' "$1"
}

# console_agents: the console tests' hosts — the weak fixture (agent 1)
# and a made-up host (agent 3) enrolled with $TOKEN1, the hostile fixture
# (agent 2) with $TOKEN2; their host ids in H1, H2, H3.
console_agents() {
	step "agents: weak and a made-up host in unit 1, hostile in unit 2"
	TOKEN=$TOKEN1
	agent_fixture 1 weak
	agent_root 3
	agent_conf 3
	agent_enroll 3
	agent_once 3 ||
	    { tail -n 20 "$T/a3/agent.log" >&2; fail "agent 3 run --once"; }
	TOKEN=$TOKEN2
	agent_fixture 2 hostile
	H1=$(agent_json 1 host_id)
	H2=$(agent_json 2 host_id)
	H3=$(agent_json 3 host_id)
	expect_eq "$(sql 'SELECT count(*) FROM hosts WHERE score >= 0')" 3 \
	    "hosts with a report"
}
