#!/usr/bin/env bash
# The block benchmark of ./veneer bench: emulated instructions per read at
# queue depth 32 (4 KiB sequential and random, 64 KiB sequential), the
# same Debian kernel and the same reader (blkbench.c) on Veneer's
# synthetic disk and on virtio-blk in bare QEMU, each under -icount
# shift=0, where the TSC counts the instructions of the whole machine
# (on Veneer: the Linux partition, the hypervisor and the block service
# partition; on bare QEMU the device model costs no instruction, which is
# the emulated-device world's yardstick at its most flattering).  Veneer's
# column also gives the channel's SIGNAL_EVENT calls and interrupts per
# read.
#
#   blk-bench.sh BUILD_DIR
#
# A figure that cannot be measured is reported with the reason; exits 0.
set -uo pipefail

build=$(cd "${1:?usage: blk-bench.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=$build/bench/blk
kit=$build/linux-kit
rm -rf "$out" && mkdir -p "$out/guests"

"$here/../../linux/child-kit.sh" "$build" >"$out/kit.log" 2>&1 ||
	echo "blk-bench: the Linux kit failed ($out/kit.log)"
cp "$build/synthetic-devices/guests/block_service.elf" "$kit/vmlinuz" \
	"$kit/child-initrd.img" "$out/guests/" 2>/dev/null

echo "blk-bench: Veneer's synthetic disk under -icount shift=0..."
"$here/../../integration/qemu-run.sh" --hv "$build/hv/hv.efi" \
	--config "$here/blk-bench.cfg" --guests "$out/guests" \
	--out "$out/veneer" --icount --timeout 900 >"$out/veneer.log" 2>&1
echo "blk-bench: virtio-blk in bare QEMU under -icount shift=0..."
truncate -s 32M "$out/virtio.img"
# sleep=off: QEMU's device model completes reads on host threads while
# the guest halts; the time it waits must not count as instructions.
timeout 900 qemu-system-x86_64 -accel tcg -cpu max -machine q35 -m 256M \
	-icount shift=0,sleep=off -nodefaults -display none -no-reboot \
	-serial "file:$out/virtio-serial.log" \
	-kernel "$kit/vmlinuz" -initrd "$kit/child-initrd.img" \
	-append "console=ttyS0 veneer_test=blk_bench panic=-1" \
	-drive "file=$out/virtio.img,if=none,id=d0,format=raw" \
	-device virtio-blk-pci,drive=d0 >"$out/virtio.log" 2>&1

# figure LOG MODE BYTES FIELD: FIELD's number on LOG's blkbench line.
figure() {
	local v
	v=$(tr -d '\r' <"$1" 2>/dev/null |
		sed -n "s/.*VENEER-CHILD: blkbench $2 $3 32 .*$4 \([0-9]*\).*/\1/p" |
		head -n 1)
	echo "${v:--}"
}
milli() {
	[ "$1" = - ] && { echo -; return; }
	printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
}
vlog=$out/veneer/serial.log qlog=$out/virtio-serial.log
echo
echo "Block reads at queue depth 32: emulated instructions per read"
printf '  %-20s %12s %12s %14s %14s\n' read virtio-blk Veneer \
	"signals/read" "interrupts/read"
for spec in "seq 4096 4 KiB sequential" "rand 4096 4 KiB random" \
	"seq 65536 64 KiB sequential"; do
	set -- $spec
	mode=$1 bytes=$2
	shift 2
	printf '  %-20s %12s %12s %14s %14s\n' "$*" \
		"$(figure "$qlog" "$mode" "$bytes" tsc-per-read)" \
		"$(figure "$vlog" "$mode" "$bytes" tsc-per-read)" \
		"$(milli "$(figure "$vlog" "$mode" "$bytes" signals-milli)")" \
		"$(milli "$(figure "$vlog" "$mode" "$bytes" interrupts-milli)")"
done
grep -q 'VENEER-CHILD: blkbench' "$vlog" 2>/dev/null ||
	echo "  Veneer not measured: see $vlog and $out/veneer.log"
grep -q 'VENEER-CHILD: blkbench' "$qlog" 2>/dev/null ||
	echo "  virtio-blk not measured: see $qlog and $out/virtio.log"
exit 0
