#!/bin/sh
# run.sh — `make install` end to end: installs into a scratch DESTDIR and
# checks the layout; then, as root in a private mount namespace where the
# installed libexec folder stands at its real place (/usr/libexec/canhgac),
# runs the installed canhgac-agent so that it must find its helpers there:
# canhgac-agentd for status, canhgac-docread for a document scan. Without
# them it must say which program is missing and where it looked.
# Usage: tests/install/run.sh   (make install-tests)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$top/build/tests/install
rm -rf "$tmp"
mkdir -p "$tmp"
root=$tmp/root
fail=0
bad() { echo "không đạt / FAIL: $*"; fail=1; }

make -s -C "$top" install DESTDIR="$root" >"$tmp/install.log" 2>&1 || {
	cat "$tmp/install.log"; bad "make install"; exit 1; }
for f in usr/sbin/canhgac-agent usr/sbin/canhgacd usr/sbin/canhgac \
    usr/libexec/canhgac/canhgac-agentd usr/libexec/canhgac/canhgac-docread \
    usr/share/canhgac/policy/legal.yml usr/share/canhgac/policy/site/vocab.yml \
    usr/share/man/man8/canhgac-agent.8 usr/share/man/man8/canhgac-docread.8 \
    usr/share/man/man8/canhgac-agentd.8 usr/share/man/vi/man8/canhgac-agent.8 \
    usr/share/man/man5/canhgac-agent.conf.5 lib/systemd/system/canhgac-agent.service \
    lib/systemd/system/canhgacd.service usr/lib/sysusers.d/canhgac.conf \
    usr/share/doc/canhgac/secrets-scan.md; do
	[ -f "$root/$f" ] || bad "missing $f"
done
[ -x "$root/usr/libexec/canhgac/canhgac-docread" ] || bad "docread not executable"

printf 'ỦY BAN NHÂN DÂN\nPHƯỜNG THÁI HÒA\n\nMẬT\n\nSố: 12/KH-UBND\n\nKẾ HOẠCH\nBảo đảm an ninh trật tự dịp cuối năm\n' \
    >"$tmp/kehoach.txt"
agent=$root/usr/sbin/canhgac-agent

# Not where it looks: both helpers are reported missing, by name.
if [ ! -e /usr/libexec/canhgac ]; then
	st=0
	"$agent" status --state "$tmp/state" >"$tmp/status.out" 2>&1 || st=$?
	[ $st -eq 1 ] || bad "status without agentd: exit $st, want 1"
	grep -q 'cannot find the program canhgac-agentd' "$tmp/status.out" ||
	    bad "status without agentd: $(cat "$tmp/status.out")"
	grep -q 'không tìm thấy chương trình canhgac-agentd' "$tmp/status.out" ||
	    bad "status without agentd: no Vietnamese message"
	st=0
	"$agent" secrets --no-cache "$tmp/kehoach.txt" >"$tmp/nodoc.out" 2>&1 || st=$?
	[ $st -eq 2 ] || bad "secrets without docread: exit $st, want 2"
	grep -q 'cannot find the document reader canhgac-docread' "$tmp/nodoc.out" ||
	    bad "secrets without docread: $(cat "$tmp/nodoc.out")"
fi

# Where it looks: only as root, in a mount namespace of its own.
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null &&
    unshare -m true 2>/dev/null; then
	unshare -m --propagation private sh -c '
		set -e
		mount -t tmpfs tmpfs /usr/libexec
		mkdir /usr/libexec/canhgac
		mount --bind "$1/usr/libexec/canhgac" /usr/libexec/canhgac
		st=0
		"$2" status --state "$3/state" >"$3/status2.out" 2>&1 || st=$?
		echo "$st" >"$3/status2.st"
		"$2" secrets --no-cache --format json "$3/kehoach.txt" \
		    >"$3/secrets.json" 2>"$3/secrets.err" || true
	' sh "$root" "$agent" "$tmp" || bad "namespace set-up"
	[ "$(cat "$tmp/status2.st" 2>/dev/null)" = 1 ] ||
	    bad "status: exit $(cat "$tmp/status2.st" 2>/dev/null), want 1 (not enrolled)"
	grep -q 'not enrolled' "$tmp/status2.out" ||
	    bad "status via installed agentd: $(cat "$tmp/status2.out")"
	[ "$(jq -r '.documents[0].degree' "$tmp/secrets.json" 2>/dev/null)" = mat ] ||
	    bad "secrets via installed docread: $(cat "$tmp/secrets.err")"
else
	echo "bỏ qua / skip: the installed helpers at their place (needs root and unshare)"
fi

[ $fail -eq 0 ] && echo "install-tests: đạt / passed"
exit $fail
