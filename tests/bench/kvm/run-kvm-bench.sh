#!/usr/bin/env bash
# The KVM side of the root stack's exit benchmark: Debian's stock kernel
# (the root kit's, tests/root/kit.sh) boots on bare QEMU with the same
# emulated CPU as every Veneer run (TCG, -cpu max, q35, -icount shift=0,
# where the TSC counts emulated instructions), loads kvm_amd on QEMU's
# emulated AMD-V and runs kvm-io in a KVM guest (kvm-io.c, kvm-kit.sh).
#
#   run-kvm-bench.sh BUILD_DIR
#
# Prints kvm-io's figures, one "NAME VALUE" line each:
#
#   kvm-io-roundtrip N   a guest's OUT to user space and back, guest side
#   kvm-io-run-ioctl N   the same round trip, around KVM_RUN in user space
#
# and exits 0; when one is missing it says why on stderr and exits 1.
# The console log is BUILD_DIR/bench/kvm/console.log.
#
# VENEER_BENCH_TIMEOUT: seconds QEMU may run (default 400).
set -uo pipefail

build=$(cd "${1:?usage: run-kvm-bench.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=$build/bench/kvm
log=$out/console.log
mkdir -p "$out"

if ! "$here/../../root/kit.sh" "$build" >"$out/kit.log" 2>&1 ||
	! "$here/kvm-kit.sh" "$build" >>"$out/kit.log" 2>&1; then
	echo "run-kvm-bench.sh: no kit: $(tail -n 3 "$out/kit.log")" >&2
	exit 1
fi

rm -f "$log"
timeout --foreground -k 5 "${VENEER_BENCH_TIMEOUT:-400}" \
	qemu-system-x86_64 -accel tcg -cpu max -machine q35 -smp 1 -m 1G \
	-nodefaults -display none -no-reboot -icount shift=0 \
	-bios /usr/share/ovmf/OVMF.fd \
	-kernel "$build/root-kit/vmlinuz" -initrd "$build/kvm-kit/initrd.img" \
	-append "console=ttyS0 printk.devkmsg=on" \
	-serial "file:$log" </dev/null >"$out/qemu.log" 2>&1
status=$?

# /init's lines, without the kernel's timestamps.
lines=$(tr -d '\r' <"$log" 2>/dev/null |
	sed -n 's/^\(\[ *[0-9.]*\] \)\{0,1\}KVM-BENCH: //p')
figures=$(grep -E '^kvm-io-(roundtrip|run-ioctl) [0-9]+$' <<<"$lines")
if [ "$(wc -l <<<"$figures")" != 2 ]; then
	echo "run-kvm-bench.sh: no figures (QEMU status $status, log $log)" >&2
	grep -E '^(FAIL|kvm-io:|dmesg)' <<<"$lines" | head -n 20 >&2
	exit 1
fi
echo "$figures"
