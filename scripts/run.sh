#!/bin/sh
# run.sh — `make run`: a whole Canh Gác on this computer, for a first look.
# Makes a fresh data directory under run/ (canhgac init), starts canhgacd on
# 127.0.0.1 (port 8443, or the next free one), enrols this computer's agent
# with a one-time token, sends its first audit, lists what the server now
# knows, and prints the address and how to sign in. `make stop` (or
# scripts/run.sh stop) stops the server.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
run=$top/run
bin=$top/build
data=$run/data
state=$run/agent

stop() {
	if [ -f "$run/canhgacd.pid" ]; then
		pid=$(cat "$run/canhgacd.pid")
		if kill "$pid" 2>/dev/null; then
			i=0
			while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
				sleep 0.1; i=$((i + 1))
			done
			echo "run.sh: đã dừng canhgacd / canhgacd stopped (pid $pid)"
		fi
		rm -f "$run/canhgacd.pid"
	fi
}

if [ "${1:-}" = stop ]; then
	stop
	exit 0
fi

port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
# dash has no /dev/tcp: ask ss when it is there.
if command -v ss >/dev/null 2>&1; then
	port_free() { ! ss -Htln "sport = :$1" | grep -q .; }
fi

stop
rm -rf "$run"
mkdir -p "$run"
port=8443
while ! port_free "$port"; do
	port=$((port + 1))
done
url="https://127.0.0.1:$port"

echo "== canhgac init: kho dữ liệu, CA riêng, chứng thư máy chủ / store, private CA, server certificate"
"$bin/canhgac" init --data "$data" --listen "127.0.0.1:$port" --url "$url" \
    --generate-password >"$run/init.txt"
head -n 3 "$run/init.txt"
pw=$(awk '/HIỆN MỘT LẦN/ { getline; print $1; exit }' "$run/init.txt")

echo "== canhgacd: khởi động / starting on $url"
"$bin/canhgacd" --data "$data" >"$run/canhgacd.log" 2>&1 &
echo $! >"$run/canhgacd.pid"
i=0
until curl -sf --cacert "$data/ca/ca.pem" "$url/api/v1/ca" >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -ge 100 ] || ! kill -0 "$(cat "$run/canhgacd.pid")" 2>/dev/null; then
		echo "run.sh: canhgacd không khởi động được / canhgacd did not start:" >&2
		cat "$run/canhgacd.log" >&2
		exit 1
	fi
	sleep 0.1
done

echo "== canhgac token create: mã đăng ký dùng một lần / one-time enrolment token"
"$bin/canhgac" --data "$data" token create --unit "Văn phòng UBND phường" \
    --expires 1h --uses 1 >"$run/token.txt"
token=$(grep -o 'cg1_[A-Za-z0-9_-]*' "$run/token.txt" | head -n 1)
fpr=$(grep -o 'SHA256:[0-9a-f]*' "$run/token.txt" | head -n 1)

echo "== canhgac-agent enroll: máy này / this computer"
"$bin/canhgac-agent" enroll --server "$url" --token "$token" \
    --ca-fingerprint "$fpr" --state "$state"

echo "== canhgac-agent run --once: lần đánh giá đầu tiên / first audit"
st=0
"$bin/canhgac-agent" run --once --state "$state" || st=$?
if [ $st -ne 0 ]; then
	echo "run.sh: tác tử trả về $st / the agent exited $st" >&2
	exit 1
fi

echo "== canhgac hosts"
"$bin/canhgac" --data "$data" hosts
echo "== canhgac findings (đang mở, nặng nhất trước / open, worst first)"
"$bin/canhgac" --data "$data" findings | head -n 25

cat <<MSG

Canh Gác đang chạy / is running: $url
  Bảng điều khiển / console: $url/dang-nhap
  Tài khoản giám sát / supervisor account: admin
  Mật khẩu (chỉ in một lần) / password (shown once): $pw
  Lần đăng nhập đầu, thiết lập mã TOTP bằng ứng dụng xác thực trên điện thoại
  / at the first sign-in, set up TOTP with an authenticator app on a phone
  (trình duyệt sẽ cảnh báo chứng thư: CA riêng của phường / the browser will
  warn about the certificate: it comes from the ward's own CA)
  Chứng thư CA / CA certificate: $data/ca/ca.pem
  Dòng lệnh / command line: $bin/canhgac --data $data hosts | findings | token create --unit …
  Nhật ký / log: $run/canhgacd.log
  Dừng / stop: make stop
MSG
