# The root as its children's channel provider under attack (sourced by
# veneerctl.sh after abuse.sh, whose helpers it uses): a child that lies
# to its monitor's console channel (t_root_chan_hostile), one that floods
# the root's shared control port and signals every channel id beside a
# well-behaved console client, one whose ring the monitor never finishes
# reading, and a root program that misuses the
# channel ioctls and grant windows (chan_abuse).  Each check ends with the
# hypervisor's memory back and no window of the grant aperture left.

# The grant aperture's /proc/iomem line, once veneer.ko has taken it.
aperture() {
	grep 'Veneer grants' /proc/iomem | tr -d ' '
}

# Refusals, foreign ids, a repeated page, OPEN twice, a revoke under the
# monitor, a scribbled ring and 150 open/close cycles (more than the
# root's 128 windows and the child's 64 grant slots).
check_chan_hostile() {
	before=$(memory_pages)
	partition_file rch t_root_chan_hostile.elf 4M "mode=1 cycles=150"
	create /tmp/rch.cfg && wait_state rch stopped 1800 || return
	log_has rch 'TEST rch: DONE passed=[0-9]+ failed=0' ||
		grep -a -B2 -A1 'FAIL' $LOGS/rch.log | head -n 8 |
		while read -r l; do say "  rch: $l"; done
	for line in '^rc-hostile: open twice$' \
		'^rc-hostile: before the revoke$' \
		'^rc-hostile: after the revoke$' \
		'console channel closed: its ring was corrupted' \
		'150 open/close cycles' '^rc-hostile: still served$'; do
		log_has rch "$line"
	done
	destroy rch
	memory_back "$before" "hostile channel client"
	[ "$(aperture | wc -l)" = 1 ] ||
		fail "hostile channel client: aperture '$(aperture)'"
	say "veneerctl chan hostile client"
}

# A flood of the root's control port and of every channel id: the other
# child's console channel is still served whole, and the flooder pauses
# and goes at once.
check_chan_flood() {
	before=$(memory_pages)
	partition_file cfl t_root_chan_hostile.elf 4M "mode=2"
	partition_file cgood t_console_client.elf 4M "lines=20"
	create /tmp/cfl.cfg || return
	log_wait=50
	while ! grep -q 'flooding' $LOGS/cfl.log 2>/dev/null &&
		[ $log_wait -gt 0 ]; do
		sleep 0.1
		log_wait=$((log_wait - 1))
	done
	create /tmp/cgood.cfg && wait_state cgood stopped 1200
	n=$(grep -acE '^[0-9]+( cgood){12} end$' "$LOGS/cgood.log")
	[ "$n" = 20 ] || fail "beside a flood: $n whole lines of 20"
	log_has cgood 'TEST cgood: DONE passed=[0-9]+ failed=0'
	within 2 veneerctl pause cfl
	within 2 veneerctl unpause cfl
	within 10 veneerctl destroy cfl cgood
	memory_back "$before" "channel flood"
	say "veneerctl chan flood beside $n lines"
}

# The ioctls and windows misused by a root program; a window held past
# the monitor's end keeps the partition until it is unmapped; channel ids
# come back with a destroyed partition.
check_chan_ioctls() {
	before=$(memory_pages)
	aperture_before=$(aperture)
	partition_file rcw t_root_chan_hostile.elf 4M "mode=3"
	create /tmp/rcw.cfg || return
	tries=50
	while ! grep -q 'grants ro=' $LOGS/rcw.log && [ $tries -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	ro=$(sed -n 's/.*grants ro=\(0x[0-9a-f]*\) .*/\1/p' $LOGS/rcw.log)
	rw=$(sed -n 's/.*grants ro=.* rw=\(0x[0-9a-f]*\).*/\1/p' $LOGS/rcw.log)
	pid=$(column_of rcw 7)
	[ -n "$ro" ] && [ -n "$rw" ] && [ -n "$pid" ] || {
		fail "chan ioctls: no grants ($ro, $rw) or monitor ($pid)"
		tail -n 5 $LOGS/rcw.log | while read -r l; do say "  rcw: $l"; done
		destroy rcw
		return
	}
	chan_abuse ioctls "$pid" "$ro" "$rw" >/tmp/ca.out 2>&1
	grep -q '^ok [0-9]*$' /tmp/ca.out ||
		fail "chan ioctls: $(tr '\n' '|' </tmp/ca.out)"
	checks=$(sed -n 's/^ok //p' /tmp/ca.out)
	sleep 0.5
	log_has rcw 'the root wrote 0x77 to the writable grant'
	ids=$(chan_abuse ids "$pid")
	[ "$ids" = "7 ids" ] || fail "chan ioctls: beside the console's, $ids"
	chan_abuse hold "$pid" "$rw" >/tmp/hold.out 2>&1 &
	hold=$!
	sleep 1
	grep -q holding /tmp/hold.out || fail "hold: $(cat /tmp/hold.out)"
	within 10 veneerctl destroy rcw
	# Stopped with its monitor, destroyed when the window goes.
	[ "$(state_of rcw)" = stopped ] || fail "held rcw is $(state_of rcw)"
	[ "$(memory_pages)" != "$before" ] ||
		fail "a held window: the partition went with its monitor"
	kill "$hold"
	wait "$hold"
	wait_state rcw gone
	memory_back "$before" "chan ioctls"
	[ "$(aperture)" = "$aperture_before" ] ||
		fail "chan ioctls: aperture '$(aperture)'"
	# Its 8 ids are free again: a new partition takes 7 beside its console.
	partition_file rcw2 t_root_chan_hostile.elf 4M "mode=3"
	create /tmp/rcw2.cfg || return
	ids=$(chan_abuse ids "$(column_of rcw2 7)")
	[ "$ids" = "7 ids" ] || fail "chan ioctls: ids after destroy: $ids"
	destroy rcw2
	memory_back "$before" "chan ioctls ids"
	say "veneerctl chan ioctls $checks checks"
}

# A ring the monitor can never finish reading: the partition still
# pauses, resumes and is destroyed at once, and kill -9 of its monitor
# with the window mapped frees everything.
check_chan_busy() {
	before=$(memory_pages)
	aperture_before=$(aperture)
	partition_file busy t_root_chan_hostile.elf 4M "mode=4"
	partition_file busy2 t_root_chan_hostile.elf 4M "mode=4"
	create /tmp/busy.cfg && create /tmp/busy2.cfg || return
	sleep 2
	log_has busy 'keeping the monitor busy'
	log_has busy2 'keeping the monitor busy'
	within 2 veneerctl pause busy
	within 2 veneerctl unpause busy
	pid=$(column_of busy 7)
	kill -9 "$pid" || fail "kill -9 $pid"
	wait_state busy gone
	within 5 veneerctl destroy busy2
	memory_back "$before" "busy ring"
	[ "$(aperture)" = "$aperture_before" ] ||
		fail "busy ring: aperture '$(aperture)'"
	say "veneerctl chan busy ring"
}

check_chan_hostile
check_chan_flood
check_chan_busy
check_chan_ioctls
