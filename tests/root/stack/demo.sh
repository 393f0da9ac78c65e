# ./veneer demo, part 4 (veneer_stack=demo), sourced by run.sh: an
# operator's session with veneerctl in the Debian root, each command and
# what it printed on the root's console.
cd /stack || fail "no /stack"

# run COMMAND...: "# COMMAND" and its output, a line each.
run() {
	say "# $*"
	"$@" >/tmp/demo.out 2>&1
	while IFS= read -r line; do say "$line"; done </tmp/demo.out
}

run veneerctl info
run cat hello.cfg
run veneerctl create hello.cfg
run veneerctl create counter.cfg
run veneerctl create timekeeper.cfg
run veneerctl list
sleep 1
run veneerctl top -b -n 1 -d 0.5
run veneerctl console timekeeper
run veneerctl console hello
run veneerctl list
run veneerctl destroy hello counter timekeeper
run veneerctl list
run veneerctl info

# A Debian kernel as a partition of the Debian root, when the child kit
# is in the initramfs: its console is the console channel (hvc0), its
# disk an image file of the root, which the root checks once it is gone.
if [ -e /stack/linux/vmlinuz ]; then
	dd if=/dev/zero of=/tmp/debian-disk.img bs=1M count=96 2>/dev/null
	{
		echo '[partition debian]'
		echo 'kernel = linux/vmlinuz'
		echo 'initrd = linux/child-initrd.img'
		echo 'memory = 128M'
		echo 'privileges = debug_console'
		echo 'cmdline = console=hvc0 panic=-1 reboot=t veneer_test=disk'
		echo 'disk = /tmp/debian-disk.img'
	} >/stack/debian.cfg
	run cat debian.cfg
	run veneerctl create debian.cfg
	run veneerctl list
	n=0
	while ! veneerctl list debian | grep -q stopped && [ $n -lt 1200 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	run sh -c 'veneerctl console debian | grep -E "VENEER-CHILD|veneerctl"'
	run veneerctl destroy debian
	run e2fsck -fn /tmp/debian-disk.img
fi
