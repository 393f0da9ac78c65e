#!/usr/bin/env bash
# Builds what the Linux child partition cases boot into BUILD_DIR/linux-kit/:
#
#   child-kit.sh BUILD_DIR
#
#   vmlinuz             Debian's stock kernel, the root kit's (kit.sh)
#   child-initrd.img    busybox and child-init as /init
#   child.cpio.gz       both as /stack/linux/ of the root's initramfs, for
#                       the root-stack case of a Linux child (stack-case.sh)
#
# It needs BUILD_DIR/root-kit/vmlinuz (tests/root/kit.sh BUILD_DIR).
set -euo pipefail

src=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || { echo "usage: child-kit.sh BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
kit=$build/linux-kit
[ -e "$build/root-kit/vmlinuz" ] ||
	{ echo "child-kit.sh: run tests/root/kit.sh $build first" >&2; exit 1; }
mkdir -p "$kit"
cp "$build/root-kit/vmlinuz" "$kit/vmlinuz"

root=$kit/initrd-root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys}
cp /bin/busybox "$root/bin/busybox"
for applet in sh mount cat echo tr sed poweroff sleep date; do
	ln -s busybox "$root/bin/$applet"
done
cp "$src/child-init" "$root/init"
chmod 755 "$root/init"
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
