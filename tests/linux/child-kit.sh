#!/usr/bin/env bash
# Builds what the Linux child partition cases boot into BUILD_DIR/linux-kit/:
#
#   child-kit.sh BUILD_DIR
#
#   vmlinuz             Debian's stock kernel, the root kit's (kit.sh)
#   child-initrd.img    busybox, child-init as /init, child-mdev.conf as
#                       /etc/mdev.conf, the root kit's modules (ext4) and
#                       the guest modules (veneer_bus.ko, veneer_console.ko,
#                       veneer_blk.ko) in the kernel's module tree with a
#                       modules.alias made by depmod
#   child.cpio.gz       both as /stack/linux/ of the root's initramfs, for
#                       the root-stack case of a Linux child (stack-case.sh)
#
# It needs BUILD_DIR/root-kit/vmlinuz (tests/root/kit.sh BUILD_DIR) and
# the guest modules (./veneer build).
set -euo pipefail

src=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || { echo "usage: child-kit.sh BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
kit=$build/linux-kit
[ -e "$build/root-kit/vmlinuz" ] ||
	{ echo "child-kit.sh: run tests/root/kit.sh $build first" >&2; exit 1; }
version=$(cat "$build/root-kit/version")
modules="$build/sdk/guest-linux/bus/module/veneer_bus.ko
	$build/sdk/guest-linux/console/module/veneer_console.ko
	$build/sdk/guest-linux/block/module/veneer_blk.ko"
for ko in $modules; do
	[ -e "$ko" ] ||
		{ echo "child-kit.sh: $ko is missing (./veneer build)" >&2; exit 1; }
done
mkdir -p "$kit"
cp "$build/root-kit/vmlinuz" "$kit/vmlinuz"

root=$kit/initrd-root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,etc,proc,sys}
cp /bin/busybox "$root/bin/busybox"
for applet in sh mount cat echo tr sed poweroff sleep date modprobe rmmod \
	mdev dd sha256sum mke2fs mkdir umount cp sync timeout head pidof; do
	ln -s busybox "$root/bin/$applet"
done
# Debian's mke2fs for ext4 (busybox's makes ext2 only).
. "$src/../lib-copy-program.sh"
copy_program "$root" /usr/sbin/mke2fs:mkfs.ext4
# The block benchmark's reader (static).
blkbench=$build/tests/bench/blk/blkbench
[ -x "$blkbench" ] || { echo "child-kit.sh: $blkbench is missing (./veneer build)" >&2; exit 1; }
cp "$blkbench" "$root/bin/"
cp "$src/child-init" "$root/init"
cp "$src/child-mdev.conf" "$root/etc/mdev.conf"
chmod 755 "$root/init"
# The modules are found by their aliases alone, as udev finds them; the
# root kit's (ext4 and what it needs) come along for the disk tests.
moddir=$root/lib/modules/$version
mkdir -p "$root/lib/modules"
cp -a "$build/root-kit/initrd-root/lib/modules/$version" "$root/lib/modules/"
mkdir -p "$moddir/extra"
cp $modules "$moddir/extra/"
strip --strip-debug "$moddir"/extra/*.ko
cp "$build/root-kit/linux-$version/lib/modules/$version"/modules.{builtin*,order} \
	"$moddir/"
depmod -b "$root" "$version"
(cd "$root" && find . | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible | gzip -9 -n) \
	>"$kit/child-initrd.img"
rm -rf "$kit/child-tree"
mkdir -p "$kit/child-tree/stack/linux"
cp "$kit/vmlinuz" "$kit/child-initrd.img" "$kit/child-tree/stack/linux/"
(cd "$kit/child-tree" && find . | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible | gzip -1 -n) \
	>"$kit/child.cpio.gz"
echo "child-kit.sh: built $kit (initrd $(stat -c %s "$kit/child-initrd.img") bytes)"
