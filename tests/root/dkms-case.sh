#!/usr/bin/env bash
# ctest root.dkms and linux.dkms: a DKMS package of the project is added,
# built, installed and removed against the kernel of the headers in KDIR:
# veneer (veneer.ko, the root's module, sdk/guest-linux/veneer) or
# veneer-guest (veneer_bus.ko, veneer_console.ko and veneer_blk.ko, a
# partition's, sdk/guest-linux/guest-dkms).  Each module must be built for that kernel
# and carry the alias that loads it.  dkms's trees, and the key it signs
# the modules with, are private to BUILD_DIR/PACKAGE-dkms: the system's
# DKMS state, /lib/modules and /var/lib/dkms are left untouched.
#
#   dkms-case.sh BUILD_DIR KDIR [PACKAGE]   (default: veneer)
#
# Needs root (or sudo without a password) and dkms (./veneer deps).
set -euo pipefail

name=${3:-veneer}
fail() {
	echo "$name dkms: FAIL $*" >&2
	exit 1
}

[ $# -eq 2 ] || [ $# -eq 3 ] ||
	{ echo "usage: dkms-case.sh BUILD_DIR KDIR [PACKAGE]" >&2; exit 2; }
# Each module of the package and the alias that loads it.
case $name in
veneer) modules=(veneer:pci:v00005645d00000001) ;;
veneer-guest)
	modules=(veneer_bus:pci:v00005645d00000002
		veneer_console:veneer:5f0c6b1e3d2a4c8e9a47c075013de701
		veneer_blk:veneer:3c1f8a527d644b09b2e618a9f04c5d11) ;;
*) fail "no such package" ;;
esac
if [ "$(id -u)" -ne 0 ]; then
	sudo -n true 2>/dev/null || fail "needs root or sudo without a password"
	exec sudo -n "$0" "$@"
fi
command -v dkms >/dev/null || fail "dkms is not installed (run ./veneer deps)"

src=$(cd "$(dirname "$0")/../.." && pwd)
kdir=$(cd "$2" && pwd)
# The release the kernel reports (uname -r), which modules carry.
kver=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
	"$kdir/include/generated/utsrelease.h" 2>/dev/null) || true
[ -n "$kver" ] || fail "$kdir names no kernel release"
out=$(mkdir -p "$1/$name-dkms" && cd "$1/$name-dkms" && pwd)
rm -rf "${out:?}"/*
mkdir -p "$out/dkms" "$out/install/$kver"
log=$out/dkms.log

# The source tree as `cmake --install` lays it out in /usr/src.
DESTDIR=$out/stage cmake --install "$1" --prefix /usr >"$out/install.log" 2>&1 ||
	fail "cmake --install ($out/install.log)"
tree=$(echo "$out"/stage/usr/src/"$name"-[0-9]*)
[ -f "$tree/dkms.conf" ] || fail "no DKMS tree in $out/stage/usr/src"
version=${tree##*/"$name"-}
export mok_signing_key=$out/mok.key mok_certificate=$out/mok.pub
package=(-m "$name" -v "$version" --dkmstree "$out/dkms"
	--sourcetree "$out/stage/usr/src" --installtree "$out/install")
kernel=(-k "$kver" --kernelsourcedir "$kdir")

step() {
	local what=$1
	shift
	echo "== dkms $what" >>"$log"
	"$@" >>"$log" 2>&1 || {
		tail -n 30 "$log" >&2
		find "$out/dkms" -name make.log -exec tail -n 30 {} \; >&2 || true
		fail "dkms $what"
	}
}

installed() {
	find "$out/install/$kver" -name "$1.ko*" -print -quit
}

check_module() {
	local module=${1%%:*} alias=${1#*:} ko info
	ko=$(installed "$module")
	[ -n "$ko" ] || fail "$module.ko is not in $out/install/$kver after dkms install"
	info=$(modinfo "$ko")
	grep -q "^vermagic: *$kver " <<<"$info" ||
		fail "$ko is not built for $kver: $(grep vermagic <<<"$info")"
	grep -q "^alias: *$alias" <<<"$info" || fail "$ko has no alias $alias"
	# veneer.ko carries the package's version.
	[ "$module" != veneer ] || grep -q "^version: *$version\$" <<<"$info" ||
		fail "$ko has not the package's version $version"
}

step add dkms add "${package[@]}"
step build dkms build "${package[@]}" "${kernel[@]}"
step install dkms install "${package[@]}" "${kernel[@]}" --no-depmod
for m in "${modules[@]}"; do
	check_module "$m"
done
step remove dkms remove "${package[@]}" --all --no-depmod
for m in "${modules[@]}"; do
	[ -z "$(installed "${m%%:*}")" ] ||
		fail "${m%%:*}.ko is still installed after dkms remove"
done
[ ! -e "$out/dkms/$name" ] || fail "dkms remove left $out/dkms/$name"
echo "$name dkms: $version added, built, installed (${modules[*]%%:*}) and removed for $kver"
