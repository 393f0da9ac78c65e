#!/usr/bin/env bash
# ./veneer bench, root mode: what it costs a stock Linux kernel to run as
# Veneer's root partition, in emulated instructions.
#
#   root-bench.sh BUILD_DIR
#
# Four boots of the root kit (tests/root/kit.sh) under QEMU -icount
# shift=0, where the root's TSC counts emulated instructions (its own and
# the hypervisor's, which runs on the same CPU):
#   bare workload    the kit's workload on bare QEMU (tests/root/run-bare.sh)
#   Veneer workload  the same under Veneer (tests/root/run-veneer.sh)
#   Veneer boot      booted and powered off, having slept 0 seconds
#   Veneer idle      the same with idle_seconds of sleep before the power-off
# (the same commands in both, so that what differs is the sleep alone)
# The workload phases (a syscall loop, a page-fault loop over 64 MiB, a
# 64 MiB file copy on tmpfs) are compared bare against Veneer (target at
# most 1.02x each); the hypervisor's exits by reason for the whole boot
# come from its power-off report, and the idle boot's extra exits per
# second of sleep give an idle root's exit rate (target at most 1 per
# second).  A fifth boot, on bare QEMU, runs KVM (tests/bench/kvm), and a
# sixth, under Veneer, vnr-io in the root (tests/root/stack-case.sh), for
# the root stack's table: a child VP's port-I/O exit to the root's user
# space and back, KVM against Veneer (target at most 1,500 for Veneer), with
# Veneer's in-kernel round trip and a 16 MiB child's life cycle.  Exits 0;
# a figure that cannot be measured says why.
set -uo pipefail

build=$(cd "${1:?usage: root-bench.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
root=$here/../root
out=$build/bench/root
idle_seconds=10
mkdir -p "$out"

echo "bench: root mode, five boots of Debian's kernel under -icount shift=0 (a few minutes)..."
if ! "$root/kit.sh" "$build" >"$out/kit.log" 2>&1; then
	echo "bench: root mode not measured: the kit could not be built ($out/kit.log)"
	exit 0
fi
export VENEER_ROOT_TIMEOUT=${VENEER_BENCH_TIMEOUT:-400}
"$root/run-bare.sh" "$build" "$out/bare" veneer_test=workload -- -icount shift=0 >/dev/null 2>&1
"$root/run-veneer.sh" "$build" "$out/veneer" veneer_test=workload -- -icount shift=0 >/dev/null 2>&1
"$root/run-veneer.sh" "$build" "$out/boot" veneer_test=idle \
	veneer.idle_seconds=0 -- -icount shift=0 >/dev/null 2>&1
"$root/run-veneer.sh" "$build" "$out/idle" veneer_test=idle \
	"veneer.idle_seconds=$idle_seconds" -- -icount shift=0 >/dev/null 2>&1

work() { "$root/init-lines.sh" "$1/root.log" 2>/dev/null | sed -n "s/^VENEER-ROOT: work $2 \([0-9]*\)$/\1/p"; }
# The power-off report's total of exits.
exits() {
	local log=$1/hv.log
	[ -f "$log" ] || return
	tr -d '\r' <"$log" | sed -n 's/^\[hv\]     exits  .* \([0-9][0-9]*\)$/\1/p' |
		awk '{ s += $1 } END { if (NR) print s }'
}

echo
echo "Root mode: the root's workload, emulated instructions per phase"
printf '  %-10s %14s %14s %8s %s\n' phase "bare QEMU" "under Veneer" ratio target
for phase in syscall pagefault copy; do
	b=$(work "$out/bare" $phase) v=$(work "$out/veneer" $phase)
	if [ -z "$b" ] || [ -z "$v" ]; then
		printf '  %-10s not measured (no figure in %s)\n' $phase "$out"
		continue
	fi
	ratio=$(awk "BEGIN { printf \"%.4f\", $v / $b }")
	verdict=ok
	awk "BEGIN { exit !($ratio > 1.02) }" && verdict="ABOVE 1.02"
	printf '  %-10s %14s %14s %8s <= 1.02 %s\n' $phase "$b" "$v" "$ratio" "$verdict"
done

echo
echo "Root mode: the hypervisor's exits for a whole boot (firmware, kernel, /init, power-off)"
if grep -q '^\[hv\]     exits' "$out/boot/hv.log" 2>/dev/null; then
	sed -n 's/^\[hv\]     exits  /  /p' "$out/boot/hv.log"
	echo "  total $(exits "$out/boot")"
else
	echo "  not measured: no power-off report in $out/boot/hv.log"
fi

echo
echo "Root mode: an idle root"
boot_total=$(exits "$out/boot") idle_total=$(exits "$out/idle")
if [ -n "$boot_total" ] && [ -n "$idle_total" ]; then
	extra=$((idle_total - boot_total))
	rate=$(awk "BEGIN { printf \"%.2f\", $extra / $idle_seconds }")
	verdict=ok
	awk "BEGIN { exit !($rate > 1) }" && verdict="ABOVE 1"
	echo "  exits: $boot_total booting, $idle_total with ${idle_seconds} s of sleep:" \
		"$rate exits per idle second (target <= 1) $verdict"
else
	echo "  not measured: a power-off report is missing ($out/boot, $out/idle)"
fi

echo
echo "Root stack: a child VP's exits, emulated instructions, KVM and Veneer"
echo "on the same emulated CPU (KVM: kvm_amd of Debian's kernel on bare QEMU)"
kvm_figures=$("$here/kvm/run-kvm-bench.sh" "$build" 2>"$out/kvm.err")
kvm_why=$(head -n 1 "$out/kvm.err")
# Veneer's column: vnr-io (tests/bench/root-stack/vnr-io.c) in the root
# partition of the root kit under Veneer, counting instructions.
veneer_figures=
veneer_why="the root-stack boot failed ($build/root-stack/vnr-io/report.txt)"
if "$here/../root/stack-kit.sh" "$build" >"$out/stack-kit.log" 2>&1 &&
	VENEER_ICOUNT=1 "$here/../root/stack-case.sh" "$build" vnr-io \
		>"$out/stack.log" 2>&1; then
	veneer_figures=$(sed -n 's/^VENEER-ROOT: \(veneer-[a-z0-9-]* [0-9]*\)$/\1/p' \
		"$build/root-stack/vnr-io/report.txt")
fi
# figure LINES NAME: the number of NAME's line, or "-".
figure() {
	local v
	v=$(sed -n "s/^$2 \([0-9][0-9]*\)$/\1/p" <<<"$1")
	echo "${v:--}"
}
# stack_row LABEL KVM-NAME VENEER-NAME [TARGET]: "-" where there is no figure.
stack_row() {
	local k=- v target=
	[ -n "$2" ] && k=$(figure "$kvm_figures" "$2")
	v=$(figure "$veneer_figures" "$3")
	if [ -n "${4:-}" ]; then
		target=" <= $4"
		if [ "$v" = - ]; then
			:
		elif [ "$v" -gt "$4" ]; then
			target+=" ABOVE $4"
		else
			target+=" ok"
		fi
	fi
	printf '  %-48s %9s %9s%s\n' "$1" "$k" "$v" "$target"
}
printf '  %-48s %9s %9s %s\n' figure KVM Veneer "target (Veneer)"
stack_row "port-I/O exit to user space and back (child)" \
	kvm-io-roundtrip veneer-io-roundtrip 1500
stack_row "the same, around the run ioctl (user space)" \
	kvm-io-run-ioctl veneer-io-run-ioctl
stack_row "VP_YIELD exit handled in veneer.ko (child)" "" \
	veneer-yield-roundtrip
stack_row "16 MiB child: create .. first exit .. destroyed" "" \
	veneer-create-start-destroy-16m
stack_row "16 MiB child: veneerctl create + destroy" "" \
	veneer-ctl-create-destroy-16m
[ -n "$kvm_figures" ] || echo "  KVM not measured: ${kvm_why:-no figures} ($out/kvm.err)"
[ -n "$veneer_figures" ] || echo "  Veneer not measured: $veneer_why"
exit 0
