#!/usr/bin/env bash
# The block benchmark of ./veneer bench: emulated instructions per read at
# queue depth 32 (4 KiB sequential and random, 64 KiB sequential), the
# same Debian kernel and the same reader (blkbench.c) on Veneer's
# synthetic disk and on virtio-blk in bare QEMU.  The QEMU plugin
# insn-window.c counts the instructions the whole machine executes while
# blkbench reads: on Veneer the Linux partition, the hypervisor and the
# block service partition; on bare QEMU the guest alone, since its device
# model costs no emulated instruction (the emulated-device world's
# yardstick at its most flattering).  A halted CPU counts nothing, so the
# figures are work, not waiting.  Veneer's column also gives the channel's
# SIGNAL_EVENT calls and interrupts per read, as the bus counts them.
# The "Veneer root" column is the product's own path: a Debian root under
# Veneer serves the disk from veneerctl (io_uring, O_DIRECT on the root's
# virtio-blk data disk) to a Linux child it created
# (tests/root/stack/blk-bench.sh); counted are the child, the hypervisor
# and the root with its veneerctl, the root's own virtio-blk costing what
# it costs in bare QEMU.
#
#   blk-bench.sh BUILD_DIR
#
# A figure that cannot be measured is reported with the reason; exits 0.
set -uo pipefail

build=$(cd "${1:?usage: blk-bench.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=$build/bench/blk
kit=$build/linux-kit
plugin=$build/tests/bench/blk/insn-window.so
rm -rf "$out" && mkdir -p "$out/guests"

"$here/../../linux/child-kit.sh" "$build" >"$out/kit.log" 2>&1 ||
	echo "blk-bench: the Linux kit failed ($out/kit.log)"
cp "$build/synthetic-devices/guests/block_service.elf" "$kit/vmlinuz" \
	"$kit/child-initrd.img" "$out/guests/" 2>/dev/null

echo "blk-bench: Veneer's synthetic disk..."
VENEER_INSN_WINDOW_OUT=$out/veneer-windows.txt \
	"$here/../../integration/qemu-run.sh" --hv "$build/hv/hv.efi" \
	--config "$here/blk-bench.cfg" --guests "$out/guests" \
	--out "$out/veneer" --timeout 900 -- -plugin "$plugin" \
	>"$out/veneer.log" 2>&1
echo "blk-bench: a disk of the Linux root, served by veneerctl..."
{ "$here/../../root/kit.sh" "$build" && "$here/../../root/stack-kit.sh" "$build"; } \
	>>"$out/kit.log" 2>&1 || echo "blk-bench: the root kit failed ($out/kit.log)"
cat "$build/root-stack/stack.cpio.gz" "$kit/child.cpio.gz" \
	>"$out/root-extra.cpio.gz" 2>/dev/null
VENEER_EXTRA_INITRD=$out/root-extra.cpio.gz VENEER_ROOT_TIMEOUT=900 \
	VENEER_INSN_WINDOW_OUT=$out/root-windows.txt \
	"$here/../../root/run-veneer.sh" "$build" "$out/root" veneer_test=stack \
	veneer_stack=blk-bench -- -plugin "$plugin" >"$out/root.log" 2>&1
echo "blk-bench: virtio-blk in bare QEMU..."
truncate -s 32M "$out/virtio.img"
VENEER_INSN_WINDOW_OUT=$out/virtio-windows.txt \
	timeout 900 qemu-system-x86_64 -accel tcg -cpu max -machine q35 \
	-m 256M -nodefaults -display none -no-reboot -plugin "$plugin" \
	-serial "file:$out/virtio-serial.log" \
	-kernel "$kit/vmlinuz" -initrd "$kit/child-initrd.img" \
	-append "console=ttyS0 veneer_test=blk_bench panic=-1" \
	-drive "file=$out/virtio.img,if=none,id=d0,format=raw" \
	-device virtio-blk-pci,drive=d0 >"$out/virtio.log" 2>&1

# The runs in the order blk_bench makes them: MODE BYTES COUNT LABEL.
runs=("seq 4096 8192 4 KiB sequential" "rand 4096 8192 4 KiB random"
	"seq 65536 1024 64 KiB sequential")

# per_read WINDOWS K COUNT: window K's instructions per read, or "-".
per_read() {
	local w
	w=$(sed -n "$(($2 + 1))s/^window \([0-9]*\)$/\1/p" "$1" 2>/dev/null)
	[ -n "$w" ] && echo $((w / $3)) || echo -
}
# counter LOG MODE BYTES FIELD: the thousandths on LOG's blkbench line.
counter() {
	local v
	v=$(tr -d '\r' <"$1" 2>/dev/null |
		sed -n "s/.*VENEER-CHILD: blkbench $2 $3 32 .*$4 \([0-9]*\).*/\1/p" |
		head -n 1)
	[ -n "$v" ] && printf '%d.%03d' $((v / 1000)) $((v % 1000)) || echo -
}
echo
echo "Block reads at queue depth 32: emulated instructions per read (whole machine)"
printf '  %-20s %12s %12s %12s %14s %16s\n' read virtio-blk Veneer \
	"Veneer root" "signals/read" "interrupts/read"
for k in 0 1 2; do
	set -- ${runs[$k]}
	mode=$1 bytes=$2 count=$3
	shift 3
	printf '  %-20s %12s %12s %12s %14s %16s\n' "$*" \
		"$(per_read "$out/virtio-windows.txt" $k "$count")" \
		"$(per_read "$out/veneer-windows.txt" $k "$count")" \
		"$(per_read "$out/root-windows.txt" $k "$count")" \
		"$(counter "$out/veneer/serial.log" "$mode" "$bytes" signals-milli)" \
		"$(counter "$out/veneer/serial.log" "$mode" "$bytes" interrupts-milli)"
done
echo "  (signals and interrupts: the Veneer column's channel, as veneer_bus counts them)"
[ -s "$out/veneer-windows.txt" ] ||
	echo "  Veneer not measured: see $out/veneer/serial.log and $out/veneer.log"
[ -s "$out/root-windows.txt" ] ||
	echo "  Veneer root not measured: see $out/root/root.log and $out/root.log"
[ -s "$out/virtio-windows.txt" ] ||
	echo "  virtio-blk not measured: see $out/virtio-serial.log and $out/virtio.log"
exit 0
