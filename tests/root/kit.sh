#!/usr/bin/env bash
# Builds the Linux side of the root-mode tests into BUILD_DIR/root-kit/:
#
#   kit.sh BUILD_DIR
#
#   vmlinuz        Debian's stock kernel (bzImage with EFI stub), the version
#                  that linux-headers-amd64 depends on
#   version        that kernel's version (uname -r)
#   initrd.img     busybox, /init, the virtio-blk and ext4 modules, the
#                  probe module veneer_probe.ko, the attack module
#                  veneer_attack.ko and the workload program
#   disk.img       an ext2 image whose /marker holds the marker line
#
# The kernel package is fetched with apt-get download and unpacked, never
# installed.  Nothing needs root, unless the machine has no package lists
# yet (then apt-get update runs first, as root or through sudo).  A run
# whose inputs (these sources, the kernel and busybox versions) did not
# change since the last one does nothing.
set -euo pipefail

src=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || { echo "usage: kit.sh BUILD_DIR" >&2; exit 2; }
kit=$(mkdir -p "$1/root-kit" && cd "$1/root-kit" && pwd)
marker="veneer root kit disk marker 4b1d"

die() {
	echo "kit.sh: $*" >&2
	exit 1
}

# The kernel ABI name (6.1.0-57-amd64) from the headers metapackage.
kernel_version() {
	local dep
	dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null) ||
		die "linux-headers-amd64 is not installed (run ./veneer deps)"
	dep=${dep%% *}
	echo "${dep#linux-headers-}"
}

inputs_digest() {
	{
		echo "$version"
		dpkg-query -W -f='${Version}\n' busybox-static
		echo "$marker"
		cat "$src"/kit.sh "$src"/init "$src"/workload.c \
			"$src"/probe/Kbuild "$src"/probe/*.[ch] \
			"$src"/attack/Kbuild "$src"/attack/*.[ch] "$src"/fault_safe.h
	} | sha256sum | cut -d' ' -f1
}

# Downloads and unpacks linux-image-VERSION once per version.
unpack_kernel() {
	local tree=$kit/linux-$version pkg=linux-image-$version
	[ -e "$tree/.unpacked" ] && return 0
	rm -rf "$kit"/linux-* "$kit/deb"
	mkdir -p "$kit/deb"
	download "$pkg" || { refresh_package_lists && download "$pkg"; } ||
		die "could not download $pkg from the Debian archive" \
			"(is it reachable?):" \
			"$(tail -n 3 "$kit/deb/download.log")"
	dpkg-deb -x "$kit"/deb/"$pkg"_*.deb "$tree"
	# The package ships no modules.dep: its postinst runs depmod.
	busybox depmod -b "$tree" "$version"
	rm -rf "$kit/deb"
	touch "$tree/.unpacked"
}

download() {
	(cd "$kit/deb" && apt-get download "$1") >>"$kit/deb/download.log" 2>&1
}

# A machine whose packages came from an image may have no package lists:
# they are fetched once (as root, or through sudo without a password).
refresh_package_lists() {
	local update=(apt-get update -q)
	[ "$(id -u)" -eq 0 ] || update=(sudo -n "${update[@]}")
	"${update[@]}" >>"$kit/deb/download.log" 2>&1
}

# Builds the module in tests/root/NAME/ into $kit/NAME/.
build_module() {
	local name=$1 headers=/usr/src/linux-headers-$version out=$kit/$1
	[ -e "$headers/Makefile" ] ||
		die "$headers missing (run ./veneer deps)"
	mkdir -p "$out"
	cp "$src/$name"/Kbuild "$src/$name"/*.[ch] "$src"/fault_safe.h "$out"/
	env -u MAKEFLAGS make -s -C "$headers" M="$out" modules >"$out/build.log" 2>&1 ||
		die "building the $name module failed: $(tail -n 20 "$out/build.log")"
}

build_workload() {
	gcc -static -O2 -Wall -Wextra -Werror -o "$kit/workload" "$src/workload.c"
}

# The modules /init loads, with everything they depend on, and a
# modules.dep limited to them so that busybox modprobe resolves the order.
# The package's modules are plain .ko files (MODULE_COMPRESS_NONE), which
# busybox loads as they are.
copy_modules() {
	local root=$1 moddir=lib/modules/$version wanted='' m ko
	local tree=$kit/linux-$version/lib/modules/$version
	local full=$tree/modules.dep
	for m in virtio_pci virtio_blk crc32c_generic ext4; do
		wanted+=$(grep -E "/$m\.ko:" "$full")$'\n' ||
			die "$m.ko is not in linux-image-$version"
	done
	mkdir -p "$root/$moddir"
	for ko in $(tr ' ' '\n' <<<"$wanted" | sed 's/:$//' | sort -u); do
		mkdir -p "$root/$moddir/$(dirname "$ko")"
		cp "$tree/$ko" "$root/$moddir/$ko"
		grep -E "^$ko:" "$full"
	done >"$root/$moddir/modules.dep"
}

# The kernel needs /dev/console before /init runs; a device node cannot
# be made without root, so it comes as a hand-written newc archive that
# the kernel unpacks before the compressed one.
newc_entry() {
	local name=$1 mode=$2 rmajor=$3 rminor=$4 namesize pad
	namesize=$((${#name} + 1))
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		0 "$mode" 0 0 1 0 0 0 0 "$rmajor" "$rminor" "$namesize" 0
	printf '%s\0' "$name"
	pad=$(((4 - (110 + namesize) % 4) % 4))
	head -c "$pad" /dev/zero
}

console_archive() {
	newc_entry dev $((0040755)) 0 0
	newc_entry dev/console $((0020600)) 5 1
	newc_entry TRAILER!!! 0 0 0
}

build_initrd() {
	local root=$kit/initrd-root
	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,mnt,lib}
	cp /bin/busybox "$root/bin/busybox"
	for applet in $(busybox --list); do
		[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
	done
	cp "$src/init" "$root/init"
	chmod 755 "$root/init"
	cp "$kit/probe/veneer_probe.ko" "$kit/attack/veneer_attack.ko" \
		"$kit/workload" "$root/lib/"
	copy_modules "$root"
	{
		console_archive
		(cd "$root" && find . | LC_ALL=C sort |
			cpio --quiet -o -H newc -R 0:0 --reproducible | gzip -9 -n)
	} >"$kit/initrd.img"
}

build_disk() {
	local root=$kit/disk-root
	rm -rf "$root" "$kit/disk.img"
	mkdir -p "$root"
	echo "$marker" >"$root/marker"
	truncate -s 8M "$kit/disk.img"
	mke2fs -q -F -t ext2 -L veneer-data -d "$root" "$kit/disk.img"
}

version=$(kernel_version)
digest=$(inputs_digest)
if [ -e "$kit/.inputs" ] && [ "$(cat "$kit/.inputs")" = "$digest" ]; then
	echo "kit.sh: $kit is up to date (kernel $version)"
	exit 0
fi
rm -f "$kit/.inputs"
unpack_kernel
cp "$kit/linux-$version/boot/vmlinuz-$version" "$kit/vmlinuz"
echo "$version" >"$kit/version"
build_module probe
build_module attack
build_workload
build_initrd
build_disk
echo "$digest" >"$kit/.inputs"
echo "kit.sh: built $kit (kernel $version, initrd $(stat -c %s "$kit/initrd.img") bytes)"
