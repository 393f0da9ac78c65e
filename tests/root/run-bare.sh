#!/usr/bin/env bash
# Boots the root kit (tests/root/kit.sh) on bare QEMU, without Veneer:
#
#   run-bare.sh BUILD_DIR OUTDIR [KERNEL-ARG...] [-- QEMU-ARG...]
#
# The kernel arguments are appended to the command line, typically
# veneer_test=boot|isolation|workload (boot when none is given).  OVMF
# starts BUILD_DIR/root-kit/vmlinuz with its initrd through QEMU's
# -kernel; the data disk is a read-only virtio-blk device; the console
# (COM1) goes to OUTDIR/root.log.  The Veneer run differs only in the
# firmware path: hv.efi loads the same kernel, initrd and command line
# from the ESP.  Exits with QEMU's status (0 after /init's ACPI power-off,
# 124 on timeout; VENEER_ROOT_TIMEOUT seconds, default 240).
set -euo pipefail

. "$(dirname "$0")/run-args.sh"
parse_run_args run-bare.sh "$@"
rm -f "$out/root.log"

cmdline="console=ttyS0 efi=debug printk.devkmsg=on ${kernel_args[*]}"
args=(-accel tcg -cpu max -machine q35 -smp 1 -m 1G
	-nodefaults -display none -no-reboot
	-bios /usr/share/ovmf/OVMF.fd
	-kernel "$kit/vmlinuz" -initrd "$kit/initrd.img" -append "$cmdline"
	-drive "if=none,id=data,format=raw,readonly=on,file=$kit/disk.img"
	-device virtio-blk-pci,drive=data
	-serial "file:$out/root.log")

set +e
timeout --foreground -k 5 "${VENEER_ROOT_TIMEOUT:-240}" \
	qemu-system-x86_64 "${args[@]}" "${qemu_extra[@]}" </dev/null
status=$?
set -e
[ $status -eq 124 ] && echo "run-bare.sh: QEMU timed out" >&2
exit $status
