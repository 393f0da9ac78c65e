#!/usr/bin/env bash
# ctest root.dkms: veneer.ko's DKMS package (sdk/guest-linux/veneer) is
# added, built, installed and removed against the kernel of the headers in
# KDIR.  dkms's trees, and the key it signs the module with, are private
# to BUILD_DIR/root-dkms: the system's DKMS state, /lib/modules and
# /var/lib/dkms are left untouched.
#
#   dkms-case.sh BUILD_DIR KDIR
#
# Needs root (or sudo without a password) and dkms (./veneer deps).
set -euo pipefail

fail() {
	echo "root.dkms: FAIL $*" >&2
	exit 1
}

[ $# -eq 2 ] || { echo "usage: dkms-case.sh BUILD_DIR KDIR" >&2; exit 2; }
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
out=$(mkdir -p "$1/root-dkms" && cd "$1/root-dkms" && pwd)
rm -rf "${out:?}"/*
mkdir -p "$out/dkms" "$out/install/$kver"
log=$out/dkms.log

# The source tree as `cmake --install` lays it out in /usr/src.
DESTDIR=$out/stage cmake --install "$1" --prefix /usr >"$out/install.log" 2>&1 ||
	fail "cmake --install ($out/install.log)"
tree=$(echo "$out"/stage/usr/src/veneer-*)
[ -f "$tree/dkms.conf" ] || fail "no DKMS tree in $out/stage/usr/src"
version=${tree##*/veneer-}
export mok_signing_key=$out/mok.key mok_certificate=$out/mok.pub
package=(-m veneer -v "$version" --dkmstree "$out/dkms"
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
	find "$out/install/$kver" -name 'veneer.ko*' -print -quit
}

step add dkms add "${package[@]}"
step build dkms build "${package[@]}" "${kernel[@]}"
step install dkms install "${package[@]}" "${kernel[@]}" --no-depmod
ko=$(installed)
[ -n "$ko" ] || fail "veneer.ko is not in $out/install/$kver after dkms install"
info=$(modinfo "$ko")
grep -q "^vermagic: *$kver " <<<"$info" ||
	fail "$ko is not built for $kver: $(grep vermagic <<<"$info")"
grep -q '^alias: *pci:v00005645d00000001' <<<"$info" ||
	fail "$ko has no alias for the Veneer PCI function"
grep -q "^version: *$version\$" <<<"$info" ||
	fail "$ko has not the package's version $version"
step remove dkms remove "${package[@]}" --all --no-depmod
[ -z "$(installed)" ] || fail "veneer.ko is still installed after dkms remove"
[ ! -e "$out/dkms/veneer" ] || fail "dkms remove left $out/dkms/veneer"
echo "root.dkms: veneer $version added, built, installed ($ko) and removed for $kver"
