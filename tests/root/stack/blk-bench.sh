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

# Every look at the child's state is a veneerctl process: seldom, so that
# the root's shell and veneerctl list cost the measured reads next to
# nothing (the windows are about a second each).
wait_bench() {
	tries=60
	while [ "$(state_of bench)" != stopped ] && [ $tries -gt 0 ]; do
		sleep 5
		tries=$((tries - 1))
	done
	wait_linux bench
}

disk=$(bench_disk) || fail "no data disk in the root"
linux_file bench blk_bench "disk = $disk ro"
if create /stack/bench.cfg && wait_bench; then
	grep -a 'VENEER-CHILD: blkbench ' "$LOGS/bench.log" |
		sed 's/.*VENEER-CHILD: //' | while read -r line; do
		say "$line"
	done
fi
destroy bench
