#!/usr/bin/env bash
# One root-mode test on bare QEMU: boots the kit in MODE with run-bare.sh
# and checks /init's report.
#
#   bare-case.sh BUILD_DIR MODE        (MODE: boot, isolation or workload)
#
# The console log stays in BUILD_DIR/root-bare/MODE/root.log (the boot
# mode's is the reference that check-boot-log.sh compares a Veneer boot
# against), /init's lines alone without carriage returns in report.txt.
# The isolation mode reserves a zeroed 4 MiB range (memmap=) and hands it
# to the probe, so that the hypervisor-memory path runs on bare QEMU too:
# there the written pattern reads back.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: bare-case.sh BUILD_DIR MODE" >&2; exit 2; }
build=$1 mode=$2 here=$(cd "$(dirname "$0")" && pwd)
out=$build/root-bare/$mode report=$build/root-bare/$mode/report.txt
fake_region_base=0x30000000 fake_region_size=0x400000

kernel_args=("veneer_test=$mode")
[ "$mode" = isolation ] && kernel_args+=("memmap=4M\$$fake_region_base"
	"veneer.probe_region=$fake_region_base,$fake_region_size")

status=0
"$here/run-bare.sh" "$build" "$out" "${kernel_args[@]}" || status=$?
"$here/init-lines.sh" "$out/root.log" >"$report" || true
failed=0
[ $status -eq 0 ] || { echo "bare-case: QEMU exited with $status"; failed=1; }

expect() {
	grep -aqE "^VENEER-ROOT: $1\$" "$report" || { echo "bare-case: missing '$1'"; failed=1; }
}

expect "init started"
expect "MemTotal: [0-9]+ kB"
expect "iomem [0-9a-f]+-[0-9a-f]+ : System RAM"
expect "cpus 1"
expect "disk marker $(cat "$build/root-kit/disk-root/marker")"
expect "mode $mode"
case $mode in
isolation)
	expect "probe cpuid-svm [01]"
	for insn in vmrun vmload vmsave stgi clgi skinit invlpga; do
		expect "probe $insn (ud|gp|ok)"
	done
	for msr in vm-hsave-pa vm-cr; do
		expect "probe rdmsr-$msr (gp|ok value=0x[0-9a-f]+)"
		expect "probe wrmsr-$msr (gp|ok value=0x[0-9a-f]+)"
	done
	expect "probe efer-svme 0"
	expect "probe wrmsr-efer-svme (gp|ok)"
	expect "probe hypercall-page-(ram|apic) (gp|ok)"
	expect "probe rdmsr-smca-bank0 (gp|ok value=0x[0-9a-f]+)"
	expect "probe hv-memory base=$fake_region_base size=$fake_region_size read=0x0 write=ok write-readback=0x[1-9a-f][0-9a-f]*"
	[ "$(grep -ac '^VENEER-ROOT: probe hv-memory' "$report")" -eq 1 ] ||
		{ echo "bare-case: not exactly one hv-memory line"; failed=1; }
	;;
workload)
	for phase in syscall pagefault copy; do
		expect "work $phase [0-9]+"
	done
	;;
esac
expect "done"
if grep -aq '^VENEER-ROOT: FAIL' "$report"; then
	grep -a '^VENEER-ROOT: FAIL' "$report"
	failed=1
fi
[ $failed -eq 0 ] && echo "bare-case: $mode passed ($out/root.log)"
exit $failed
