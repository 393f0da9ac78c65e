# What veneerctl's disk backend withstands (sourced by veneerctl.sh, whose
# helpers and abuse.sh's it uses): t_disk_hostile's modes, each a client
# that breaks the block protocol another way; disks that are FIFOs,
# directories, character devices or symbolic links, locks between
# partitions, an image truncated under its partition, and a monitor
# killed with I/O in flight.  Each check ends with the hypervisor's memory
# back at its value before.
IMG=/tmp/hdisk.img

# hostile NAME DISK MEMORY CMDLINE: /tmp/NAME.cfg for t_disk_hostile.
hostile() {
	partition_file "$1" t_disk_hostile.elf "$3" "$4"
	echo "disk = $2" >>"/tmp/$1.cfg"
}

# run_hostile NAME DISK MEMORY CMDLINE: it ends within 60 s, no check
# failed, and the partition is destroyed.
run_hostile() {
	hostile "$@"
	create "/tmp/$1.cfg" && wait_state "$1" stopped 600 || {
		destroy "$1"
		return 1
	}
	log_has "$1" "TEST $1: DONE passed=[0-9]+ failed=0" ||
		grep -a '^\[veneerctl\]' "$LOGS/$1.log" | tail -n 12 |
		while read -r l; do say "  $1: $l"; done
	destroy "$1"
}

fresh_image() {
	rm -f $IMG
	dd if=/dev/zero of=$IMG bs=1M count=16 2>/dev/null
}

monitor_fds() {
	ls "/proc/$(column_of "$1" 7)/fd" | wc -l
}

# Requests the rules forbid or that sit on the limits: more requests
# answered at once than max_requests (none with I/O), ids reused in
# flight, twice max_requests in flight, the last byte of a 510-page area
# and of the disk, the rings' own grant as the data area.
check_disk_requests() {
	before=$(memory_pages)
	fresh_image
	run_hostile hburst $IMG 8M "mode=burst burst=96"
	log_has hburst 'TEST hburst: burst: 96 answered of 96'
	run_hostile hids $IMG 8M "mode=ids"
	log_has hids 'TEST hids: ids: 96 answered, max_requests 32'
	run_hostile hedge $IMG 8M "mode=edge"
	run_hostile hring $IMG 8M "mode=ringarea"
	log_has hring 'TEST hring: after ringarea: 32 in flight answered'
	memory_back "$before" "disk requests"
	say "veneerctl disk abuse requests"
}

# A read-only disk: the backend's checks refuse every write, and the
# kernel's read-only descriptor would refuse one they let through.
check_disk_read_only() {
	before=$(memory_pages)
	fresh_image
	printf 'keep' | dd of=$IMG bs=1 seek=4096 conv=notrunc 2>/dev/null
	sum=$(md5sum <$IMG)
	run_disk_client hro "$IMG ro" "mode=readonly read_only=1" \
		'\(normal\): [0-9]+ requests, 0 bad, 0 I/O errors'
	run_hostile hroburst "$IMG ro" 8M "mode=burst read_only=1"
	[ "$(md5sum <$IMG)" = "$sum" ] || fail "a read-only disk changed"
	memory_back "$before" "read-only disk"
	say "veneerctl disk abuse read-only unchanged"
}

# 42 openings closed in six hostile ways leave the monitor with the
# descriptors of one opening, and every slot free.
check_disk_cycles() {
	before=$(memory_pages)
	fresh_image
	hostile hbase $IMG 8M "mode=hold hold_ms=600000"
	create /tmp/hbase.cfg || return
	tries=300
	while ! grep -aq 'TEST hbase' $LOGS/hbase.log && [ $tries -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	sleep 1
	base=$(monitor_fds hbase)
	destroy hbase
	hostile hcyc $IMG 8M "mode=cycles cycles=42 hold_ms=600000 wait_ms=20000"
	create /tmp/hcyc.cfg || return
	tries=1200
	while ! grep -aq 'after cycles' $LOGS/hcyc.log && [ $tries -gt 0 ] &&
		[ "$(state_of hcyc)" = running ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	log_has hcyc 'TEST hcyc: cycles: 7 7 7 7 7 7' ||
		grep -aE 'FAIL|connect:|\[veneerctl\] disk' $LOGS/hcyc.log |
		head -n 12 | while read -r l; do say "  hcyc: $l"; done
	log_has hcyc 'TEST hcyc: after cycles: 32 in flight answered'
	fds=$(monitor_fds hcyc)
	[ "$fds" = "$base" ] ||
		fail "disk cycles: the monitor holds $fds descriptors, $base after one opening"
	log_has hcyc 'disk /tmp/hdisk.img closed \(corrupted\)'
	within 5 veneerctl destroy hcyc
	memory_back "$before" "disk cycles"
	say "veneerctl disk abuse cycles $fds fds"
}

# A client that sends requests as fast as they are answered starves
# neither its own console channel nor the monitor's socket.
check_disk_storm() {
	before=$(memory_pages)
	fresh_image
	hostile hstorm $IMG 8M "mode=storm storm_ms=8000 console=1 wait_ms=20000"
	create /tmp/hstorm.cfg || return
	sleep 2
	within 3 veneerctl list hstorm
	within 3 veneerctl pause hstorm
	within 3 veneerctl unpause hstorm
	wait_state hstorm stopped 600 || return
	log_has hstorm 'TEST hstorm: DONE passed=[0-9]+ failed=0'
	want=$(grep -aoE 'storm: [0-9]+ sent, [0-9]+ answered, [0-9]+ console' \
		$LOGS/hstorm.log | awk '{ print $6 }')
	got=$(grep -acE '^storm line [0-9]+$' $LOGS/hstorm.log)
	[ -n "$want" ] && [ "$got" = "$want" ] && [ "$got" -ge 20 ] ||
		fail "disk storm: $got console lines of ${want:-?}"
	destroy hstorm
	# And a destroy in the middle of one is at once.
	hostile hstorm2 $IMG 8M "mode=storm storm_ms=600000"
	create /tmp/hstorm2.cfg || return
	sleep 2
	within 5 veneerctl destroy hstorm2
	memory_back "$before" "disk storm"
	say "veneerctl disk abuse storm $got console lines"
}

# Disks that are no image: refused at once, naming the file.
check_disk_files() {
	before=$(memory_pages)
	rm -rf /tmp/d.fifo /tmp/d.dir
	mkfifo /tmp/d.fifo
	mkdir /tmp/d.dir
	for disk in "/tmp/d.fifo ro" /tmp/d.fifo "/tmp/d.dir ro" /dev/zero \
		"/dev/zero ro"; do
		hostile hfile "$disk" 8M "mode=hold"
		timeout 10 veneerctl create /tmp/hfile.cfg >/tmp/hfile.out 2>&1
		code=$?
		grep -q "disk ${disk% ro}: not a regular file or block device" \
			/tmp/hfile.out && [ $code = 1 ] ||
			fail "disk '$disk': $code $(cat /tmp/hfile.out)"
		# A monitor still waiting in open() would go on with a writer.
		[ $code = 1 ] || timeout 2 sh -c 'echo >/tmp/d.fifo' 2>/dev/null
		[ "$(state_of hfile)" = gone ] || destroy hfile
	done
	hostile hfile /tmp/d.dir 8M "mode=hold"
	expect_error 1 "disk /tmp/d.dir: Is a directory" \
		veneerctl create /tmp/hfile.cfg
	: >/tmp/d.empty
	hostile hfile /tmp/d.empty 8M "mode=hold"
	expect_error 1 "disk /tmp/d.empty: smaller than a sector" \
		veneerctl create /tmp/hfile.cfg
	memory_back "$before" "disk files"
	say "veneerctl disk abuse files refused"
}

# The lock is the image's, whatever the path: a symbolic link to it, a
# second read-only user beside a first, a writer beside readers.
check_disk_locks() {
	before=$(memory_pages)
	fresh_image
	ln -sf $IMG /tmp/hlink.img
	hostile hlink /tmp/hlink.img 8M "mode=hold hold_ms=600000"
	create /tmp/hlink.cfg || return
	hostile hother $IMG 8M "mode=hold"
	expect_error 1 "disk $IMG: in use by another partition" \
		veneerctl create /tmp/hother.cfg
	hostile hother "$IMG ro" 8M "mode=hold"
	expect_error 1 "disk $IMG: in use by another partition" \
		veneerctl create /tmp/hother.cfg
	destroy hlink
	hostile hro1 "$IMG ro" 8M "mode=burst read_only=1"
	hostile hro2 "/tmp/hlink.img ro" 8M "mode=burst read_only=1"
	create /tmp/hro1.cfg && create /tmp/hro2.cfg || return
	hostile hother $IMG 8M "mode=hold"
	expect_error 1 "disk $IMG: in use by another partition" \
		veneerctl create /tmp/hother.cfg
	wait_state hro1 stopped && wait_state hro2 stopped
	log_has hro2 'TEST hro2: DONE passed=[0-9]+ failed=0'
	destroy hro1 hro2
	memory_back "$before" "disk locks"
	say "veneerctl disk abuse locks"
}

# The image truncated from the root under its partition: reads past its
# new end fail with I/O errors, and the monitor carries on.
check_disk_shrink() {
	before=$(memory_pages)
	fresh_image
	hostile hshrink $IMG 8M "mode=shrink wait_ms=30000"
	create /tmp/hshrink.cfg || return
	sleep 2
	truncate -s 1M $IMG
	within 3 veneerctl list hshrink
	wait_state hshrink stopped 600 || return
	log_has hshrink 'TEST hshrink: shrink: read failed after [0-9]+ reads, status 1'
	log_has hshrink 'TEST hshrink: DONE passed=[0-9]+ failed=0'
	destroy hshrink
	log_has hshrink 'disk /tmp/hdisk.img closed \(normal\): [0-9]+ requests, 0 bad, [1-9][0-9]* I/O errors'
	size=$(stat -c %s $IMG)
	[ "$size" -le 16777216 ] || fail "disk shrink: the image grew to $size"
	memory_back "$before" "disk shrink"
	say "veneerctl disk abuse shrink"
}

# A monitor killed with writes in flight: the partition goes, and the
# image's lock with it.
check_disk_kill() {
	before=$(memory_pages)
	fresh_image
	hostile hkill $IMG 8M "mode=hold hold_ms=600000"
	create /tmp/hkill.cfg || return
	sleep 2
	kill -9 "$(column_of hkill 7)"
	wait_state hkill gone
	memory_back "$before" "disk kill -9"
	run_hostile hkill $IMG 8M "mode=hold hold_ms=1000"
	memory_back "$before" "disk kill -9"
	say "veneerctl disk abuse kill -9"
}

check_disk_requests
check_disk_read_only
check_disk_cycles
check_disk_storm
check_disk_files
check_disk_locks
check_disk_shrink
check_disk_kill
rm -f $IMG /tmp/hlink.img /tmp/d.fifo /tmp/d.empty
rmdir /tmp/d.dir 2>/dev/null
