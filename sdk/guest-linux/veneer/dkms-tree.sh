#!/usr/bin/env bash
# Lays out veneer.ko's DKMS source tree, /usr/src/veneer-VERSION/, in
# OUTDIR (which plays /usr/src) and prints its path:
#
#   dkms-tree.sh OUTDIR
#
# The tree holds dkms.conf, Kbuild, Makefile, the module's sources and a
# copy of the SDK headers in include/veneer/, where Kbuild looks for them.
# Installed by hand:
#
#   cp -r OUTDIR/veneer-VERSION /usr/src/ && dkms install veneer/VERSION
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
sdk_include=$(cd "$here/../../include" && pwd)

die() {
	echo "dkms-tree.sh: $*" >&2
	exit 1
}

[ $# -eq 1 ] || { echo "usage: dkms-tree.sh OUTDIR" >&2; exit 2; }
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$here/dkms.conf")
[ -n "$version" ] || die "no PACKAGE_VERSION in $here/dkms.conf"

tree=$1/veneer-$version
rm -rf "$tree"
mkdir -p "$tree/include/veneer"
cp "$here"/dkms.conf "$here"/Kbuild "$here"/Makefile "$tree"/
# The sources only, not what an in-place build left (*.mod.c).
find "$here" -maxdepth 1 -name '*.[ch]' ! -name '*.mod.c' \
	-exec cp {} "$tree"/ \;
cp "$sdk_include"/veneer/*.h "$sdk_include"/veneer/*.def "$tree/include/veneer/"
(cd "$tree" && pwd)
