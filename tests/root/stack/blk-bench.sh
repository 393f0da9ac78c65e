# The root-backed block benchmark (veneer_stack=blk-bench), sourced by
# run.sh after veneer.ko was loaded: a Linux child made by veneerctl reads
# the root's data disk (a virtio-blk disk of QEMU, O_DIRECT in veneerctl's
# io_uring backend) with blkbench, as tests/bench/blk/blk-bench.sh runs it
# on virtio-blk and on the block service partition.  Its blkbench lines
# are repeated as VENEER-ROOT lines.  say/fail come from run.sh.
cd /stack || fail "no /stack"
. /stack/ctl-lib.sh

bench_disk() {
	for d in /sys/block/vd*; do
		[ -e "$d" ] && echo "/dev/${d##*/}" && return 0
	done
	return 1
}

disk=$(bench_disk) || fail "no data disk in the root"
linux_file bench blk_bench "disk = $disk ro"
if create /stack/bench.cfg && wait_linux bench; then
	grep -a 'VENEER-CHILD: blkbench ' "$LOGS/bench.log" |
		sed 's/.*VENEER-CHILD: //' | while read -r line; do
		say "$line"
	done
fi
destroy bench
