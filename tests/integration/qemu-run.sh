#!/usr/bin/env bash
# Boots hv.efi in QEMU (emulated AMD-V, OVMF) from a fresh ESP image.
#
#   qemu-run.sh --hv hv.efi --config veneer.cfg --guests DIR --out DIR
#               [--timeout SECONDS] [--icount] [--cpu MODEL] [--console]
#   qemu-run.sh --esp IMAGE --out DIR [...]
#
# With --esp, QEMU boots that ESP image as it is (a copy of it).  Otherwise
# the ESP gets \EFI\BOOT\BOOTX64.EFI (hv.efi), \EFI\veneer\veneer.cfg and
# every file of the guests directory in \EFI\veneer\.  The serial log goes
# to OUT/serial.log (and to the terminal with --console).  The exit status
# is QEMU's: with the isa-debug-exit device, (failures << 1) | 1.
set -euo pipefail

hv= config= guests= out= timeout=120 icount= cpu=max console= extra=()
given_esp=
while [ $# -gt 0 ]; do
	case "$1" in
	--hv) hv=$2; shift ;;
	--esp) given_esp=$2; shift ;;
	--config) config=$2; shift ;;
	--guests) guests=$2; shift ;;
	--out) out=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--icount) icount=1 ;;
	--cpu) cpu=$2; shift ;;
	--console) console=1 ;;
	--) shift; extra=("$@"); break ;;
	*) echo "qemu-run.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
{ [ -n "$given_esp" ] || { [ -n "$hv" ] && [ -n "$config" ]; }; } && [ -n "$out" ] || {
	echo "usage: qemu-run.sh --hv F --config F --guests D --out D" >&2
	echo "       qemu-run.sh --esp IMAGE --out D" >&2
	exit 2
}

firmware=/usr/share/ovmf/OVMF.fd
mkdir -p "$out"
esp=$out/esp.img
rm -f "$esp"
if [ -n "$given_esp" ]; then
	cp "$given_esp" "$esp"
else
	truncate -s 64M "$esp"
	mformat -i "$esp" -F -v VENEER ::
	mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/EFI/veneer
	mcopy -i "$esp" "$hv" ::/EFI/BOOT/BOOTX64.EFI
	mcopy -i "$esp" "$config" ::/EFI/veneer/veneer.cfg
	if [ -n "$guests" ]; then
		for file in "$guests"/*; do
			[ -f "$file" ] && mcopy -i "$esp" "$file" "::/EFI/veneer/$(basename "$file")"
		done
	fi
fi

args=(-accel tcg -cpu "$cpu" -machine q35 -smp 1 -m 1G
	-nodefaults -display none -no-reboot
	-bios "$firmware"
	-drive "if=none,id=esp,format=raw,file=$esp"
	-device virtio-blk-pci,drive=esp
	-device isa-debug-exit,iobase=0xf4,iosize=0x01)
[ -n "$icount" ] && args+=(-icount shift=0)
if [ -n "$console" ]; then
	args+=(-chardev "stdio,id=ser,logfile=$out/serial.log,signal=off"
		-serial chardev:ser)
else
	args+=(-serial "file:$out/serial.log")
fi

set +e
timeout --foreground -k 5 "$timeout" qemu-system-x86_64 "${args[@]}" "${extra[@]}" </dev/null
status=$?
set -e
[ $status -eq 124 ] && echo "qemu-run.sh: QEMU timed out after ${timeout}s" >&2
exit $status
