#!/usr/bin/env bash
# Boots the root kit (tests/root/kit.sh) under Veneer: OVMF starts hv.efi,
# which takes the CPU over and starts the kit's kernel as the root
# partition.
#
#   run-veneer.sh BUILD_DIR OUTDIR [KERNEL-ARG...] [-- QEMU-ARG...]
#
# Everything matches run-bare.sh (machine, command line, data disk) but the
# firmware path: the ESP (on the chipset's AHCI controller, so the root's
# only virtio-blk disk is the data disk, as on bare QEMU) holds hv.efi as
# \EFI\BOOT\BOOTX64.EFI, veneer.cfg with a [root] section, the kernel and
# the initrd.  The root's console (COM1) goes to OUTDIR/root.log, the
# hypervisor's UART (COM2, "serial = 0x2f8") to OUTDIR/hv.log.  Extra
# veneer.cfg lines for [hypervisor] may come in VENEER_HV_CONFIG.  Exits
# with QEMU's status (0 after the root's ACPI power-off, 124 on timeout;
# VENEER_ROOT_TIMEOUT seconds, default 240).
set -euo pipefail

. "$(dirname "$0")/run-args.sh"
parse_run_args run-veneer.sh "$@"
rm -f "$out/root.log" "$out/hv.log"

cat >"$out/veneer.cfg" <<CFG
[hypervisor]
serial = 0x2f8
${VENEER_HV_CONFIG:-}

[root]
kernel = \\EFI\\veneer\\vmlinuz
initrd = \\EFI\\veneer\\initrd.img
cmdline = console=ttyS0 efi=debug printk.devkmsg=on ${kernel_args[*]}
CFG
esp=$out/esp.img
rm -f "$esp"
truncate -s 64M "$esp"
mformat -i "$esp" -F -v VENEER ::
mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/EFI/veneer
mcopy -i "$esp" "$build/hv/hv.efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$esp" "$out/veneer.cfg" ::/EFI/veneer/veneer.cfg
mcopy -i "$esp" "$kit/vmlinuz" ::/EFI/veneer/vmlinuz
# VENEER_EXTRA_INITRD: an archive unpacked over the kit's (stack-kit.sh).
cat "$kit/initrd.img" ${VENEER_EXTRA_INITRD:+"$VENEER_EXTRA_INITRD"} >"$out/initrd.img"
mcopy -i "$esp" "$out/initrd.img" ::/EFI/veneer/initrd.img

args=(-accel tcg -cpu max -machine q35 -smp 1 -m 1G
	-nodefaults -display none -no-reboot
	-bios /usr/share/ovmf/OVMF.fd
	-drive "if=none,id=esp,format=raw,file=$esp"
	-device ide-hd,drive=esp,bus=ide.0
	-drive "if=none,id=data,format=raw,readonly=on,file=$kit/disk.img"
	-device virtio-blk-pci,drive=data
	-serial "file:$out/root.log" -serial "file:$out/hv.log")

set +e
timeout --foreground -k 5 "${VENEER_ROOT_TIMEOUT:-240}" \
	qemu-system-x86_64 "${args[@]}" "${qemu_extra[@]}" </dev/null
status=$?
set -e
[ $status -eq 124 ] && echo "run-veneer.sh: QEMU timed out" >&2
exit $status
