#!/usr/bin/env bash
# One root-mode test under Veneer: boots the kit with run-veneer.sh and
# checks what the root reports and what the hypervisor logs.
#
#   veneer-case.sh BUILD_DIR MODE      (MODE: boot, isolation or smp2)
#
# Every mode: the root's /init ran to its end (its lines, without carriage
# returns, in BUILD_DIR/root-veneer/MODE/report.txt); the hypervisor's
# memory, as its log names it, is Reserved in the root's /proc/iomem and
# no System RAM of it; the root has all other RAM (at least the bare
# boot's less the hypervisor's memory and a margin for the firmware's own
# allocations, which differ between the two boot paths); after the
# take-over the hypervisor's UART carries its lines alone.
#   boot       the boot log, compared with the bare boot's (check-boot-log.sh)
#   isolation  the probe's results, as docs/spec/root-mode.md says, and the
#              hypervisor's log lines about them
#   smp2       two CPUs: the root sees one, the hypervisor keeps the other
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: veneer-case.sh BUILD_DIR MODE" >&2; exit 2; }
build=$1 mode=$2 here=$(cd "$(dirname "$0")" && pwd)
out=$build/root-veneer/$mode report=$out/report.txt
bare_report=$build/root-bare/boot/report.txt
firmware_margin_kib=$((8 * 1024))

kernel_args=("veneer_test=$mode") qemu_args=()
[ "$mode" = smp2 ] && kernel_args=(veneer_test=boot) qemu_args=(-- -smp 2)
status=0
"$here/run-veneer.sh" "$build" "$out" "${kernel_args[@]}" "${qemu_args[@]}" || status=$?
"$here/init-lines.sh" "$out/root.log" >"$report" || true
failed=0
fail() { echo "veneer-case: $*"; failed=1; }
[ $status -eq 0 ] || fail "QEMU exited with $status"

expect() {
	grep -aqE "^VENEER-ROOT: $1\$" "$report" || fail "root: missing '$1'"
}
expect_hv() {
	grep -aqE "^\[hv\] $1" "$out/hv.log" || fail "hypervisor log: missing '$1'"
}

# KiB of System RAM in a report's iomem lines.
system_ram_kib() {
	local total=0 range lo hi
	while read -r range; do
		lo=${range%-*} hi=${range#*-}
		total=$((total + (0x$hi - 0x$lo + 1) / 1024))
	done < <(sed -n 's/^VENEER-ROOT: iomem \([0-9a-f]*-[0-9a-f]*\) : System RAM$/\1/p' "$1")
	echo $total
}

check_memory() {
	local range hv_lo hv_hi line lo hi reserved=
	range=$(sed -n 's/.*hypervisor keeps 0x\([0-9a-f]*\)-0x\([0-9a-f]*\).*/\1 \2/p' "$out/hv.log")
	[ -n "$range" ] || { fail "hypervisor log: no 'hypervisor keeps' line"; return; }
	read -r hv_lo hv_hi <<<"$range"
	while read -r line; do
		lo=$(echo "$line" | sed 's/^VENEER-ROOT: iomem \([0-9a-f]*\)-.*/\1/')
		hi=$(echo "$line" | sed 's/^VENEER-ROOT: iomem [0-9a-f]*-\([0-9a-f]*\) .*/\1/')
		if [ $((0x$lo)) -le $((0x$hv_hi)) ] && [ $((0x$hi)) -ge $((0x$hv_lo)) ]; then
			case $line in
			*": System RAM") fail "root: System RAM $lo-$hi overlaps the hypervisor's $hv_lo-$hv_hi" ;;
			*": Reserved") [ $((0x$lo)) -le $((0x$hv_lo)) ] && [ $((0x$hi)) -ge $((0x$hv_hi)) ] && reserved=1 ;;
			esac
		fi
	done < <(grep -a '^VENEER-ROOT: iomem ' "$report")
	[ -n "$reserved" ] || fail "root: the hypervisor's $hv_lo-$hv_hi is not one Reserved range"
	if [ -s "$bare_report" ]; then
		local bare veneer hv_kib
		bare=$(system_ram_kib "$bare_report") veneer=$(system_ram_kib "$report")
		hv_kib=$(((0x$hv_hi - 0x$hv_lo + 1) / 1024))
		[ "$veneer" -le "$bare" ] && [ "$veneer" -ge $((bare - hv_kib - firmware_margin_kib)) ] ||
			fail "root: $veneer KiB of System RAM, bare $bare KiB, hypervisor $hv_kib KiB"
		echo "veneer-case: System RAM $veneer KiB (bare $bare KiB, hypervisor $hv_kib KiB)"
	fi
}

# From the take-over on the hypervisor's UART is its own.
check_hv_log_alone() {
	local after
	after=$(tr -d '\r' <"$out/hv.log" | sed -n '/^\[hv\] Veneer hypervisor/,$p' | grep -avc '^\[hv\] ' || true)
	[ "$after" -eq 0 ] || fail "hypervisor log: $after lines not its own after the take-over"
	grep -aq '^\[hv\] Veneer hypervisor' "$out/hv.log" || fail "hypervisor log: no start line"
	if grep -aqE '^\[hv\] (CRASH|PANIC|unexpected)' "$out/hv.log"; then fail "hypervisor log: a crash"; fi
}

expect "init started"
expect "MemTotal: [0-9]+ kB"
expect "disk marker $(cat "$build/root-kit/disk-root/marker")"
expect "cpus 1"
check_memory
check_hv_log_alone
case $mode in
boot)
	"$here/check-boot-log.sh" "$build/root-bare/boot/root.log" "$out/root.log" || failed=1
	;;
isolation)
	expect "probe cpuid-svm 0"
	expect "probe efer-svme 0"
	for insn in vmrun vmload vmsave stgi clgi skinit invlpga; do
		expect "probe $insn ud"
	done
	for msr in vm-hsave-pa vm-cr; do
		expect "probe rdmsr-$msr gp"
		expect "probe wrmsr-$msr gp"
	done
	expect "probe wrmsr-efer-svme gp"
	expect "probe rdmsr-smca-bank0 (gp|ok value=0x[0-9a-f]+)"
	expect "probe wrmsr-smca-bank0 (gp|ok value=0x0)"
	expect "probe hypercall-page-ram ok"
	expect "probe hypercall-page-apic gp"
	expect "probe hv-memory base=0x[0-9a-f]+ size=0x[0-9a-f]+ read=0x0 write=gp write-readback=0x0"
	expect_hv "root: SVM instruction \(exit 0x80\) at RIP 0x[0-9a-f]+ raises #UD, 1 so far"
	expect_hv "root: read of MSR 0xc0010117 raises #GP"
	expect_hv "root: write to hypervisor memory at 0x[0-9a-f]+ .* refused with #GP, 1 so far"
	;;
smp2)
	expect_hv "cpu: 1 of 2 CPUs withheld from the root, kept for child partitions"
	;;
esac
expect "done"
if grep -aq '^VENEER-ROOT: FAIL' "$report"; then
	grep -a '^VENEER-ROOT: FAIL' "$report"
	failed=1
fi
[ $failed -eq 0 ] && echo "veneer-case: $mode passed ($out)"
exit $failed
