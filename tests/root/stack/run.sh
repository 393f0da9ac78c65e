#!/bin/sh
# The root-stack tests inside the root (veneer_test=stack): what
# veneer_stack= names, after veneer.ko was loaded by the Veneer PCI
# function's modalias, as udev would load it.
#   vnr-io    the bench program: a child's exits through /dev/veneer, and
#             veneerctl's create and destroy of a 16 MiB partition
#   veneerctl every verb of veneerctl and its failure modes
#   demo      part 4 of ./veneer demo: an operator's veneerctl session
#   linux     a Linux child partition created by veneerctl
#   blk-bench the block benchmark on a disk of the root (blk-bench.sh)
# Lines go to the kernel log as "VENEER-ROOT: ..." like /init's.
export PATH=/bin:/stack

say() {
	echo "VENEER-ROOT: $*" >/dev/kmsg
}

fail() {
	say "FAIL $*"
}

cmdline_value() {
	tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n 1
}

veneer_function() {
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = 0x5645 ] && echo "$d" && return 0
	done
	return 1
}

load_by_modalias() {
	dev=$(veneer_function) || { fail "no Veneer PCI function"; return 1; }
	say "pci $(basename "$dev") $(cat "$dev/vendor"):$(cat "$dev/device") class $(cat "$dev/class")"
	modprobe "$(cat "$dev/modalias")" || { fail "modprobe by modalias"; return 1; }
	tries=50
	while [ ! -e /dev/veneer ] && [ $tries -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	[ -e /dev/veneer ] || { fail "no /dev/veneer"; return 1; }
	say "driver $(basename "$(readlink "$dev/driver")")"
	say "dev $(stat -c '%a %u:%g' /dev/veneer)"
}

# Another user than root may not open the device.
check_unprivileged() {
	if su -s /bin/sh nobody -c 'cat /dev/veneer' 2>/tmp/eacces.out; then
		fail "an unprivileged user opened /dev/veneer"
	else
		say "unprivileged $(grep -o 'Permission denied' /tmp/eacces.out)"
	fi
}

run_vnr_io() {
	vnr-io >/tmp/vnr-io.out 2>&1 || fail "vnr-io exited with $?"
	while read -r line; do say "$line"; done </tmp/vnr-io.out
}

# The median over 9 runs of "veneerctl create" and "veneerctl destroy" of
# a 16 MiB hello, in nanoseconds of the kernel's clock (busybox's date has
# no nanoseconds: the kernel log's time stamps of marks around each run
# serve); those are emulated instructions when QEMU counts them (-icount
# shift=0), as the bench runs it.
ctl_create_destroy_figure() {
	printf '[partition c16]\nimage = /stack/hello.elf\nmemory = 16M\n' \
		>/tmp/c16.cfg
	i=0
	while [ $i -lt 9 ]; do
		echo "c16-mark $i begin" >/dev/kmsg
		veneerctl create /tmp/c16.cfg >/dev/null &&
			veneerctl destroy c16 || { fail "veneerctl c16"; return; }
		echo "c16-mark $i end" >/dev/kmsg
		i=$((i + 1))
	done
	median=$(dmesg |
		sed -nE 's/^\[ *([0-9.]+)\] c16-mark [0-9]+ (begin|end)$/\1 \2/p' |
		awk '$2 == "begin" { b = $1 } $2 == "end" { printf "%d\n", ($1 - b) * 1e9 }' |
		sort -n | sed -n 5p)
	say "veneer-ctl-create-destroy-16m $median"
}

load_by_modalias || exit 0
check_unprivileged
case $(cmdline_value veneer_stack) in
vnr-io)
	run_vnr_io
	ctl_create_destroy_figure
	;;
veneerctl) . /stack/veneerctl.sh ;;
linux) . /stack/linux.sh ;;
blk-bench) . /stack/blk-bench.sh ;;
demo) . /stack/demo.sh ;;
*) fail "unknown veneer_stack=$(cmdline_value veneer_stack)" ;;
esac
say "interrupts $(grep -c veneer /proc/interrupts)"
