# A Linux child of the Linux root (veneer_stack=linux), sourced by run.sh
# after veneer.ko was loaded: veneerctl creates Debian's kernel with the
# child initramfs of tests/linux from linux.cfg; it boots on the PC
# platform (docs/spec/pc-platform.md) to its /init, whose lines arrive in
# the partition's console log, and powers itself off, a clean exit;
# destroyed, it leaves the hypervisor's memory as it was.  A file that is
# not a kernel is refused with the loader's reason, before anything is
# made.  say/fail come from run.sh.
cd /stack || fail "no /stack"
. /stack/ctl-lib.sh

check_linux_child() {
	before=$(memory_pages)
	create /stack/linux.cfg && wait_linux linux || return
	log_has linux 'Hypervisor detected: KVM'
	log_has linux 'x2apic enabled'
	log_has linux 'VENEER-CHILD: init running, test boot'
	log_has linux 'VENEER-CHILD: done'
	log_has linux 'reboot: System halted'
	log_has linux '^\[veneerctl\] partition stopped: exited, status 0$'
	destroy linux
	[ "$(state_of linux)" = gone ] || fail "linux is still listed"
	memory_back "$before" linux
	say "linux child $(grep -c 'VENEER-CHILD' "$LOGS/linux.log") lines"
}

check_bad_kernel() {
	printf '[partition notlinux]\nkernel = /stack/hello.elf\nmemory = 128M\n' \
		>/tmp/notlinux.cfg
	expect_error 1 'kernel /stack/hello.elf: boot_flag 0x[0-9a-f]+ is not 0xAA55: not a Linux kernel' \
		veneerctl create /tmp/notlinux.cfg
	[ "$(state_of notlinux)" = gone ] || fail "notlinux was made"
	say "linux bad kernel refused"
}

# The console channel of a Linux child: its bus and console drivers load
# by their aliases, and a line written to /dev/hvc0 comes through the
# channel the monitor provides (only the channel gives it without the
# kernel log's time stamp); the driver's unload closes the channel.
check_linux_console_channel() {
	linux_file linuxcon console
	create /stack/linuxcon.cfg && wait_linux linuxcon || return
	log_has linuxcon 'VENEER-CHILD: modules: .*veneer_console'
	log_has linuxcon '^VENEER-CHILD: through hvc0$'
	log_has linuxcon 'VENEER-CHILD: console closed'
	log_has linuxcon '^\[veneerctl\] partition stopped: exited, status 0$'
	destroy linuxcon
	say "linux console channel"
}

# A disk of the root: the child makes ext4 on it and writes 64 MiB of
# random data; once the child is destroyed, e2fsck finds the image clean
# and the file read out of it has the checksum the child saw.
check_linux_disk() {
	dd if=/dev/zero of=/tmp/linux-disk.img bs=1M count=96 2>/dev/null
	linux_file linuxdisk disk 'disk = /tmp/linux-disk.img'
	create /stack/linuxdisk.cfg && wait_linux linuxdisk || return
	log_has linuxdisk 'VENEER-CHILD: disk 196608 sectors'
	log_has linuxdisk 'VENEER-CHILD: disk written'
	log_has linuxdisk '^\[veneerctl\] disk /tmp/linux-disk.img closed \(normal\): [0-9]+ requests, 0 bad, 0 I/O errors$'
	want=$(sed -n 's/.*VENEER-CHILD: data sha256 \([0-9a-f]*\).*/\1/p' \
		"$LOGS/linuxdisk.log" | head -n 1)
	requests=$(sed -n 's/.*closed (normal): \([0-9]*\) requests.*/\1/p' \
		"$LOGS/linuxdisk.log" | head -n 1)
	destroy linuxdisk
	e2fsck -fn /tmp/linux-disk.img >/tmp/fsck.out 2>&1 ||
		fail "e2fsck: $(tail -n 3 /tmp/fsck.out | tr '\n' '|')"
	debugfs -R 'dump /data /tmp/data.out' /tmp/linux-disk.img 2>/dev/null
	got=$(sha256sum </tmp/data.out)
	[ -n "$want" ] && [ "${got%% *}" = "$want" ] ||
		fail "the image's /data has ${got%% *}, the child wrote '$want'"
	rm -f /tmp/data.out /tmp/linux-disk.img
	say "linux disk 64 MiB kept, fsck clean, $requests requests"
}

# The same beside a sibling that floods the root's control port, which
# every child of the root shares, and signals every channel id: the
# Linux child's bus still opens its console channel.
check_linux_console_flood() {
	before=$(memory_pages)
	printf '[partition lflood]\nimage = /stack/t_root_chan_hostile.elf\nmemory = 4M\nprivileges = debug_console\ncmdline = mode=2\n' \
		>/tmp/lflood.cfg
	linux_file linuxfl console
	create /tmp/lflood.cfg || return
	create /stack/linuxfl.cfg || { destroy lflood; return; }
	wait_linux linuxfl
	log_has linuxfl '^VENEER-CHILD: through hvc0$'
	log_has linuxfl 'VENEER-CHILD: console closed'
	destroy lflood linuxfl
	memory_back "$before" "linux beside a flood"
	say "linux console channel beside a flood"
}

check_bad_kernel
check_linux_child
check_linux_console_channel
check_linux_disk
check_linux_console_flood
