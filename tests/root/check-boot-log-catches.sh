#!/usr/bin/env bash
# Shows that check-boot-log.sh accepts a log equal to the reference and
# catches the failures it exists for: a missing virtio-blk disk line, a
# missing 8250 console line and a new kernel warning.
#
#   check-boot-log-catches.sh BARE_LOG WORK_DIR
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: check-boot-log-catches.sh BARE_LOG WORK_DIR" >&2; exit 2; }
bare=$1 work=$2 check=$(dirname "$0")/check-boot-log.sh
mkdir -p "$work"
failed=0

"$check" "$bare" "$bare" >/dev/null ||
	{ echo "check-boot-log-catches: the reference fails against itself"; failed=1; }

must_catch() {
	local what=$1 log=$work/$2.log
	if "$check" "$bare" "$log" >/dev/null; then
		echo "check-boot-log-catches: not caught: $what"
		failed=1
	fi
}

grep -av '\[vda\]' "$bare" >"$work/no-disk.log" || true
must_catch "missing [vda] line" no-disk
grep -av 'ttyS0 at I/O' "$bare" >"$work/no-serial.log" || true
must_catch "missing ttyS0 line" no-serial
{
	cat "$bare"
	echo "[    9.000000] WARNING: CPU: 0 PID: 1 at kernel/sched/core.c:100 x+0x1/0x2"
} >"$work/warning.log"
must_catch "new WARNING line" warning

[ $failed -eq 0 ] && echo "check-boot-log-catches: all caught"
exit $failed
