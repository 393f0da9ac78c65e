# Sourced by run-bare.sh and run-veneer.sh: their common command line,
#
#   NAME BUILD_DIR OUTDIR [KERNEL-ARG...] [-- QEMU-ARG...]
#
# parsed with parse_run_args NAME "$@" into build, kit, out, kernel_args
# (veneer_test=boot when none is given) and qemu_extra; the kit's files
# must exist.  Exits 2 with a usage line otherwise.

parse_run_args() {
	local name=$1
	shift
	[ $# -ge 2 ] || {
		echo "usage: $name BUILD_DIR OUTDIR [KERNEL-ARG...] [-- QEMU-ARG...]" >&2
		exit 2
	}
	build=$1 kit=$1/root-kit out=$2
	shift 2
	kernel_args=() qemu_extra=()
	while [ $# -gt 0 ]; do
		[ "$1" = -- ] && { shift; qemu_extra=("$@"); break; }
		kernel_args+=("$1")
		shift
	done
	[ ${#kernel_args[@]} -gt 0 ] || kernel_args=(veneer_test=boot)
	for f in vmlinuz initrd.img disk.img; do
		[ -e "$kit/$f" ] || { echo "$name: no $kit/$f (run tests/root/kit.sh)" >&2; exit 2; }
	done
	mkdir -p "$out"
}
