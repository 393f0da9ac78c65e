#!/usr/bin/env bash
# Builds the root-stack addition to the root kit (kit.sh):
#
#   stack-kit.sh BUILD_DIR    ->  BUILD_DIR/root-stack/stack.cpio.gz
#
# A second initramfs archive, which the kernel unpacks over the kit's
# (run-veneer.sh puts both in the initrd it boots): veneer.ko installed
# in the kernel's module tree with a modules.alias made by depmod, so
# that it is loaded by the Veneer PCI function's modalias alone;
# veneerctl and the bench program vnr-io; the example guests with their
# partition files and the hostile test guests; and stack/run.sh (with
# stack/veneerctl.sh and stack/demo.sh), which /init runs for
# veneer_test=stack.
set -euo pipefail

src=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || { echo "usage: stack-kit.sh BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
kit=$build/root-kit out=$build/root-stack root=$build/root-stack/tree
version=$(cat "$kit/version")

die() {
	echo "stack-kit.sh: $*" >&2
	exit 1
}

need() {
	[ -e "$1" ] || die "$1 is missing (build it first: ./veneer build)"
}

ko=$build/sdk/guest-linux/veneer/module/veneer.ko
guests=$build/sdk/guest-freestanding/examples
need "$ko"
need "$guests/hello.elf"
need "$build/tests/bench/root-stack/vnr-io"
need "$build/tools/veneerctl/veneerctl"
tests=$build/tests/guests
hostile="t_hostile t_probe_victim t_probe_cpuid t_probe_msr t_probe_spin
	t_probe_timer_storm t_triple t_console_bytes t_console_client
	t_block_client t_root_chan_hostile t_disk_hostile"
for g in $hostile; do need "$tests/$g.elf"; done

rm -rf "$root"
mkdir -p "$root/stack" "$root/lib/modules"
cp -a "$kit/initrd-root/lib/modules/$version" "$root/lib/modules/"
mkdir -p "$root/lib/modules/$version/extra"
cp "$ko" "$root/lib/modules/$version/extra/"
cp "$kit/linux-$version/lib/modules/$version"/modules.builtin* \
	"$root/lib/modules/$version/"
depmod -b "$root" "$version"
cp "$src/stack/run.sh" "$src/stack/veneerctl.sh" "$src/stack/abuse.sh" \
	"$src/stack/chan_abuse.sh" "$src/stack/disk-abuse.sh" \
	"$src/stack/demo.sh" "$src/stack/ctl-lib.sh" "$src/stack/linux.sh" \
	"$src/stack/blk-bench.sh" \
	"$root/stack/"
need "$build/tests/root/stack/abuse/abuse_guest.elf"
cp "$build/tests/root/stack/abuse/abuse_guest.elf" \
	"$build/tests/root/stack/abuse/abuse_sock" \
	"$build/tests/root/stack/abuse/chan_abuse" "$root/stack/"
cp "$src"/stack/*.cfg "$root/stack/"
cp "$guests"/{hello,counter,timekeeper}.elf "$root/stack/"
for g in $hostile; do cp "$tests/$g.elf" "$root/stack/"; done
cp "$build/tests/bench/root-stack/vnr-io" "$root/stack/"
mkdir -p "$root/bin" "$root/etc"
# A user without privileges, for the device's permission check.
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' \
	>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
cp "$build/tools/veneerctl/veneerctl" "$root/bin/"
# Debian's e2fsck and debugfs: the root checks a child's disk image.
. "$src/../lib-copy-program.sh"
copy_program "$root" /usr/sbin/e2fsck /usr/sbin/debugfs
(cd "$root" && find . | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible | gzip -9 -n) \
	>"$out/stack.cpio.gz"
echo "stack-kit.sh: built $out/stack.cpio.gz"
