#!/usr/bin/env bash
# Builds the initramfs of the KVM benchmark into BUILD_DIR/kvm-kit/:
#
#   kvm-kit.sh BUILD_DIR
#
#   initrd.img   busybox, /init (tests/bench/kvm/init), kvm-io and the
#                kvm_amd module with the modules it needs
#
# The kernel and its modules are the root kit's (tests/root/kit.sh, run
# first): Debian's stock kernel, unpacked in BUILD_DIR/root-kit.  kvm-io
# comes from the build (BUILD_DIR/tests/bench/kvm/kvm-io).
set -euo pipefail

src=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || { echo "usage: kvm-kit.sh BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
kit=$build/kvm-kit
root_kit=$build/root-kit

die() {
	echo "kvm-kit.sh: $*" >&2
	exit 1
}

# kvm-amd.ko and what it depends on, with a modules.dep of just those for
# busybox modprobe (the package's modules are plain .ko files).
copy_modules() {
	local root=$1 version tree line ko
	version=$(cat "$root_kit/version")
	tree=$root_kit/linux-$version/lib/modules/$version
	line=$(grep -E '/kvm-amd\.ko:' "$tree/modules.dep") ||
		die "kvm-amd.ko is not in linux-image-$version"
	mkdir -p "$root/lib/modules/$version"
	for ko in $(tr ' ' '\n' <<<"$line" | sed 's/:$//'); do
		mkdir -p "$root/lib/modules/$version/$(dirname "$ko")"
		cp "$tree/$ko" "$root/lib/modules/$version/$ko"
		grep -E "^$ko:" "$tree/modules.dep"
	done >"$root/lib/modules/$version/modules.dep"
}

[ -e "$root_kit/version" ] || die "no $root_kit (run tests/root/kit.sh first)"
[ -x "$build/tests/bench/kvm/kvm-io" ] ||
	die "no $build/tests/bench/kvm/kvm-io (build first)"
root=$kit/initrd-root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp}
cp /bin/busybox "$root/bin/busybox"
for applet in $(busybox --list); do
	[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
cp "$src/init" "$root/init"
cp "$build/tests/bench/kvm/kvm-io" "$root/bin/kvm-io"
copy_modules "$root"
(cd "$root" && find . | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible | gzip -9 -n) >"$kit/initrd.img"
echo "kvm-kit.sh: built $kit/initrd.img ($(stat -c %s "$kit/initrd.img") bytes)"
