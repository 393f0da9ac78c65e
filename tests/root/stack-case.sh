#!/usr/bin/env bash
# One root-stack test under Veneer: the kit with stack-kit.sh's archive,
# booted by run-veneer.sh with veneer_test=stack veneer_stack=MODE.
#
#   stack-case.sh BUILD_DIR MODE      (MODE: vnr-io, veneerctl or linux)
#
# Every mode: the root found the Veneer PCI function, loaded veneer.ko by
# its modalias, /dev/veneer is 0600 root:root and refuses another user,
# the root's /init ran to its end without a FAIL line, and the hypervisor
# destroyed every child the root created.
#   vnr-io   a child's port I/O and VP_YIELD exits and a 16 MiB child's
#            life through /dev/veneer: each figure is reported
#   veneerctl  every verb of veneerctl and its failure modes
#            (tests/root/stack/veneerctl.sh), each check's line present
#   linux    a Linux child created by veneerctl boots to its /init and
#            powers off; a file that is not a kernel is refused
#            (tests/root/stack/linux.sh)
# With VENEER_ICOUNT=1 QEMU counts instructions (-icount shift=0), which
# is what the bench runs; the figures are then emulated instructions.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: stack-case.sh BUILD_DIR MODE" >&2; exit 2; }
build=$1 mode=$2 here=$(cd "$(dirname "$0")" && pwd)
out=$build/root-stack/$mode report=$out/report.txt
mkdir -p "$out"
qemu_args=()
[ "${VENEER_ICOUNT:-0}" = 1 ] && qemu_args=(-- -icount shift=0)
status=0
extra=$build/root-stack/stack.cpio.gz
if [ "$mode" = linux ]; then
	# The child's kernel and initramfs (child-kit.sh), one more archive.
	cat "$extra" "$build/linux-kit/child.cpio.gz" >"$out/extra.cpio.gz"
	extra=$out/extra.cpio.gz
fi
VENEER_EXTRA_INITRD=$extra \
	"$here/run-veneer.sh" "$build" "$out" veneer_test=stack \
	"veneer_stack=$mode" "${qemu_args[@]}" || status=$?
"$here/init-lines.sh" "$out/root.log" >"$report" || true
failed=0
fail() { echo "stack-case: $*"; failed=1; }
[ $status -eq 0 ] || fail "QEMU exited with $status"
expect() {
	grep -aqE "^VENEER-ROOT: $1\$" "$report" || fail "root: missing '$1'"
}

expect 'pci 0000:00:[0-9a-f]{2}\.0 0x5645:0x0001 class 0x088000'
expect 'driver veneer'
expect 'dev 600 0:0'
expect 'unprivileged Permission denied'
expect 'done'
if grep -aq '^VENEER-ROOT: FAIL' "$report"; then
	fail "$(grep -a '^VENEER-ROOT: FAIL' "$report" | head -n 5)"
fi
created=$(grep -c "^\[hv\] partition [0-9]* '.*' destroyed" "$out/hv.log" || true)
case $mode in
vnr-io)
	for figure in veneer-io-roundtrip veneer-yield-roundtrip \
		veneer-io-run-ioctl veneer-create-start-destroy-16m \
		veneer-ctl-create-destroy-16m; do
		expect "$figure [0-9]+"
	done
	# The 2 MiB bench child, the 16 MiB ones of vnr-io and veneerctl.
	[ "$created" -ge 19 ] || fail "hypervisor log: $created children destroyed"
	;;
veneerctl)
	for check in 'veneerctl usage errors' 'veneerctl bad files' \
		'veneerctl unprivileged Permission denied' \
		'veneerctl deposited .*' 'veneerctl examples 1 hello' \
		'veneerctl console 3 lines' 'veneerctl console bytes filtered' \
		'veneerctl console channel 20 lines' 'veneerctl disks served' \
		'veneerctl pause .* top shutdown' 'veneerctl kill -9 destroyed' \
		'veneerctl hostile children survived' \
		'veneerctl abuse flood logs [0-9]+ bytes' \
		'veneerctl abuse hostile VPs' 'veneerctl abuse clients' \
		'veneerctl abuse FIFOs refused' \
		'veneerctl abuse links and files' \
		'veneerctl abuse directories refused' 'veneerctl abuse names' \
		'veneerctl abuse backlog' 'veneerctl abuse request table full' \
		'veneerctl abuse departed consoles' \
		'veneerctl abuse log rotation' 'veneerctl abuse full disk' \
		'veneerctl chan hostile client' \
		'veneerctl chan flood beside 20 lines' \
		'veneerctl chan busy ring' \
		'veneerctl chan ioctls [0-9]+ checks' \
		'veneerctl disk abuse requests' \
		'veneerctl disk abuse read-only unchanged' \
		'veneerctl disk abuse cycles [0-9]+ fds' \
		'veneerctl disk abuse storm [0-9]+ console lines' \
		'veneerctl disk abuse files refused' 'veneerctl disk abuse locks' \
		'veneerctl disk abuse shrink' 'veneerctl disk abuse kill -9' \
		'veneerctl cycles 200 MemFree [0-9]+ [0-9]+ [0-9]+'; do
		expect "$check"
	done
	# Every partition veneerctl created, the 100 cycles' among them.
	[ "$created" -ge 225 ] || fail "hypervisor log: $created children destroyed"
	;;
linux)
	expect 'linux bad kernel refused'
	expect 'linux child [0-9]+ lines'
	expect 'linux console channel'
	expect 'linux disk 64 MiB kept, fsck clean, [0-9]+ requests'
	expect 'linux console channel beside a flood'
	[ "$created" -ge 4 ] || fail "hypervisor log: $created children destroyed"
	;;
*) fail "unknown mode $mode" ;;
esac
[ $failed -eq 0 ] && echo "stack-case: $mode passed"
exit $failed
