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
	create /stack/linux.cfg || return
	wait_state linux stopped 1800 || {
		tail -n 20 "$LOGS/linux.log" | while read -r l; do say "  linux: $l"; done
		return
	}
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
	sed -e 's/^\[partition linux\]/[partition linuxcon]/' \
		-e 's/veneer_test=boot/veneer_test=console/' \
		/stack/linux.cfg >/stack/linuxcon.cfg
	create /stack/linuxcon.cfg || return
	wait_state linuxcon stopped 1800 || {
		tail -n 20 "$LOGS/linuxcon.log" | while read -r l; do say "  linuxcon: $l"; done
		return
	}
	log_has linuxcon 'VENEER-CHILD: modules: .*veneer_console'
	log_has linuxcon '^VENEER-CHILD: through hvc0$'
	log_has linuxcon 'VENEER-CHILD: console closed'
	log_has linuxcon '^\[veneerctl\] partition stopped: exited, status 0$'
	if grep -aqE 'FAIL|BUG|Oops|WARNING|Call Trace' "$LOGS/linuxcon.log"; then
		fail "linuxcon: $(grep -aE 'FAIL|BUG|Oops|WARNING|Call Trace' "$LOGS/linuxcon.log" | head -n 3)"
	fi
	destroy linuxcon
	say "linux console channel"
}

# The same beside a sibling that floods the root's control port, which
# every child of the root shares, and signals every channel id: the
# Linux child's bus still opens its console channel.
check_linux_console_flood() {
	before=$(memory_pages)
	printf '[partition lflood]\nimage = /stack/t_root_chan_hostile.elf\nmemory = 4M\nprivileges = debug_console\ncmdline = mode=2\n' \
		>/tmp/lflood.cfg
	sed -e 's/^\[partition linux\]/[partition linuxfl]/' \
		-e 's/veneer_test=boot/veneer_test=console/' \
		/stack/linux.cfg >/stack/linuxfl.cfg
	create /tmp/lflood.cfg || return
	create /stack/linuxfl.cfg || { destroy lflood; return; }
	wait_state linuxfl stopped 1800 || {
		tail -n 20 "$LOGS/linuxfl.log" | while read -r l; do say "  linuxfl: $l"; done
	}
	log_has linuxfl '^VENEER-CHILD: through hvc0$'
	log_has linuxfl 'VENEER-CHILD: console closed'
	destroy lflood linuxfl
	memory_back "$before" "linux beside a flood"
	say "linux console channel beside a flood"
}

check_bad_kernel
check_linux_child
check_linux_console_channel
check_linux_console_flood
