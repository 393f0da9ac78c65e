# veneerctl in the root (veneer_stack=veneerctl), sourced by run.sh after
# veneer.ko was loaded: every verb and its failure modes, partitions
# created from their files, their consoles, the hostile test guests as
# partitions of the root beside a victim, kill -9 of a monitor, the
# attacks of abuse.sh, chan_abuse.sh and disk-abuse.sh and 200
# create/destroy cycles, each followed by the hypervisor's memory back at
# its value before.  say/fail come from run.sh.
cd /stack || fail "no /stack"
. /stack/ctl-lib.sh

check_usage() {
	veneerctl --help | grep -q '^usage: veneerctl VERB' || fail "--help"
	expect_error 2 "unknown verb 'frob'" veneerctl frob
	expect_error 2 'usage: veneerctl create' veneerctl create
	expect_error 1 "no partition 'nosuch' runs under veneerctl" \
		veneerctl destroy nosuch
	expect_error 1 "'bad/name' is not a partition name" \
		veneerctl pause bad/name
	expect_error 2 'usage: veneerctl top' veneerctl top -d 0
	say "veneerctl usage errors"
}

# Each bad file: exit 2 and "file:line: problem".
check_bad_files() {
	printf '[partition a]\nimage = hello.elf\nmemory = 3M\n' >/tmp/b1.cfg
	printf '# comment\n[partition b]\nimage = hello.elf\nmemory = 4M\nfrobnicate = 1\n' >/tmp/b2.cfg
	printf '[hypervisor]\ntimeslice_ms = 5\n[partition c]\nimage = hello.elf\nmemory = 4M\n' >/tmp/b3.cfg
	printf '[partition d]\nimage = hello.elf\nmemory = 4M\nprivileges = create_partitions\n' >/tmp/b4.cfg
	printf '[partition e]\nimage = /stack/hello.cfg\nmemory = 4M\n' >/tmp/b5.cfg
	printf '[partition f]\nimage = hello.elf\nmemory = 4M\n[partition g]\nimage = hello.elf\nmemory = 4M\n' >/tmp/b6.cfg
	expect_error 2 '^/tmp/b1.cfg:3: memory: .3M. is not a multiple of 2M$' \
		veneerctl create /tmp/b1.cfg
	expect_error 2 "^/tmp/b2.cfg:5: unknown key 'frobnicate'" \
		veneerctl create /tmp/b2.cfg
	expect_error 2 '^/tmp/b3.cfg:1: \[hypervisor\] belongs in veneer.cfg' \
		veneerctl create /tmp/b3.cfg
	expect_error 2 '^/tmp/b4.cfg:1: privileges: create_partitions' \
		veneerctl create /tmp/b4.cfg
	expect_error 1 'image /stack/hello.cfg: ' veneerctl create /tmp/b5.cfg
	expect_error 2 '^/tmp/b6.cfg:4: a partition file has one' \
		veneerctl create /tmp/b6.cfg
	expect_error 2 '^/tmp/none.cfg: No such file' \
		veneerctl create /tmp/none.cfg
	[ "$(state_of e)" = gone ] || fail "a refused image left partition e"
	say "veneerctl bad files"
}

check_unprivileged_ctl() {
	su -s /bin/sh nobody -c 'veneerctl list' >/tmp/nobody.out 2>&1
	code=$?
	grep -q 'Permission denied' /tmp/nobody.out && [ $code -eq 1 ] ||
		fail "nobody's veneerctl list: $code $(cat /tmp/nobody.out)"
	say "veneerctl unprivileged $(grep -o 'Permission denied' /tmp/nobody.out)"
}

# hello, counter, timekeeper: created, listed, their lines, destroyed.
check_examples() {
	before=$(memory_pages)
	create /stack/hello.cfg && create /stack/counter.cfg &&
		create /stack/timekeeper.cfg || return
	veneerctl list >/tmp/list.out
	# Deposits are made for children: back at 0 after proves something.
	[ "$(memory_pages)" != "$before" ] ||
		fail "three children but the deposits stay at ($before)"
	for n in hello counter timekeeper; do
		grep -qE "^ +[0-9]+  $n +(running|stopped) +1 +4 " /tmp/list.out ||
			fail "list does not show $n: $(cat /tmp/list.out)"
	done
	for n in hello counter timekeeper; do wait_state $n stopped; done
	log_has hello "^Hello from partition 'hello' \(id [0-9]+, VP 0 of 1\)$"
	log_has counter '^counter: tick 3 at [0-9]+ us$'
	log_has timekeeper '^timekeeper: sleep 5: status 0,'
	log_has hello '^\[veneerctl\] partition stopped: exited, status 0$'
	veneerctl list hello | grep -q 'exited, status 0' ||
		fail "list hello: $(veneerctl list hello)"
	destroy hello counter timekeeper
	for n in hello counter timekeeper; do
		[ "$(state_of $n)" = gone ] || fail "$n is still listed"
	done
	memory_back "$before" examples
	say "veneerctl examples $(grep -c '^Hello from' $LOGS/hello.log) hello"
}

# create -c follows the console until the partition stops.
check_console() {
	partition_file tk timekeeper.elf 4M "sleeps=3 sleep_ms=20"
	veneerctl create -c /tmp/tk.cfg >/tmp/tk.out 2>&1 ||
		fail "create -c: $(cat /tmp/tk.out)"
	grep -q '^tk: sleep 3: status 0' /tmp/tk.out &&
		grep -q '^\[veneerctl\] partition stopped: exited, status 0$' /tmp/tk.out ||
		fail "create -c printed: $(tr '\n' '|' </tmp/tk.out)"
	# Attaching later replays the scrollback, then ends at once.
	veneerctl console tk >/tmp/tk2.out 2>&1 ||
		fail "console tk: $(cat /tmp/tk2.out)"
	grep -q '^tk: sleep 1: status 0' /tmp/tk2.out || fail "scrollback"
	destroy tk
	say "veneerctl console $(grep -c 'sleep' /tmp/tk.out) lines"
}

# A partition's bytes reach the log as the hypervisor's console shows them.
check_console_bytes() {
	partition_file bytes t_console_bytes.elf 4M ""
	create /tmp/bytes.cfg && wait_state bytes stopped || return
	log_has bytes "$(printf '^bytes: [?]{9}\t$')"
	log_has bytes '^[?]{20} !"#\$%&.*xyz\{\|\}~[?]{129} end$'
	log_has bytes 'TEST t_console_bytes: DONE passed=[0-9]+ failed=0'
	destroy bytes
	say "veneerctl console bytes filtered"
}

# The console channel: the console service's client runs unchanged as a
# child of the root, whose monitor provides the channel; every line comes
# whole into the log, and the client's close is answered.
check_console_channel() {
	partition_file client t_console_client.elf 4M "lines=20"
	create /tmp/client.cfg && wait_state client stopped || return
	n=$(grep -acE '^[0-9]+( client){12} end$' "$LOGS/client.log")
	[ "$n" = 20 ] || fail "console channel: $n whole lines of 20"
	log_has client 'partial line from client'
	log_has client 'TEST client: DONE passed=[0-9]+ failed=0'
	log_has client '^\[veneerctl\] partition stopped: exited, status 0$'
	destroy client
	say "veneerctl console channel $n lines"
}

# disk_client NAME IMAGE[ ro] CMDLINE: a partition file for t_block_client
# with a disk, in /tmp/NAME.cfg.
disk_client() {
	partition_file "$1" t_block_client.elf 4M "$3"
	echo "disk = $2" >>"/tmp/$1.cfg"
}

# run_disk_client NAME IMAGE[ ro] CMDLINE NOTE: it runs to its end with no
# failed check, and the monitor's note on the disk's close says NOTE.
run_disk_client() {
	disk_client "$1" "$2" "$3"
	create "/tmp/$1.cfg" && wait_state "$1" stopped || return
	log_has "$1" "TEST $1: DONE passed=[0-9]+ failed=0"
	log_has "$1" "^\\[veneerctl\\] disk /tmp/[a-z]+\\.img closed $4\$"
	destroy "$1"
}

# Disks served by the monitor with io_uring (docs/veneerctl.md): the block
# service's client runs unchanged against an image file of the root, in
# each mode of its own; the refusals of a disk name the file.
check_disks() {
	before=$(memory_pages)
	dd if=/dev/zero of=/tmp/disk.img bs=1M count=16 2>/dev/null
	run_disk_client good /tmp/disk.img "mode=good flush=1 discard=1" \
		'\(normal\): 517 requests, 0 bad, 0 I/O errors'
	log_has good 'TEST good: 256 blocks written and read back, 32 in flight'
	run_disk_client bad /tmp/disk.img "mode=bad flush=1 discard=1" \
		'\(normal\): 21 requests, 17 bad, 0 I/O errors'
	run_disk_client readonly "/tmp/disk.img ro" "mode=readonly read_only=1" \
		'\(normal\): [0-9]+ requests, 0 bad, 0 I/O errors'
	run_disk_client corrupt /tmp/disk.img \
		"mode=corrupt corrupt=setup2 flush=1 discard=1" \
		'\(corrupted\): [0-9]+ requests, 0 bad, 0 I/O errors'
	for area in more fewer zero max1; do
		run_disk_client "area$area" /tmp/disk.img \
			"mode=refused area=$area flush=1 discard=1" \
			'\(normal\): 0 requests, 0 bad, 0 I/O errors'
	done
	run_disk_client revoke /tmp/disk.img "mode=revoke flush=1 discard=1" \
		'\((normal|corrupted)\): [0-9]+ requests, 0 bad, 0 I/O errors'
	# A writable disk is one partition's; a missing one is named.
	disk_client holder /tmp/disk.img "mode=flood hold_ms=60000 flush=1 discard=1"
	create /tmp/holder.cfg || return
	disk_client second /tmp/disk.img "mode=good flush=1 discard=1"
	expect_error 1 "disk /tmp/disk.img: in use by another partition" \
		veneerctl create /tmp/second.cfg
	destroy holder
	disk_client missing /tmp/nothing.img "mode=good"
	expect_error 1 "disk /tmp/nothing.img: No such file or directory" \
		veneerctl create /tmp/missing.cfg
	printf '[partition d]\nimage = /stack/hello.elf\nmemory = 4M\ndisk = /tmp/disk.img rw\n' \
		>/tmp/badmode.cfg
	expect_error 2 "/tmp/badmode.cfg:4: disk: expected 'PATH' or 'PATH ro', got 'rw'" \
		veneerctl create /tmp/badmode.cfg
	memory_back "$before" disks
	say "veneerctl disks served"
}

# column_of NAME N: column N of NAME's line in veneerctl list (6: the run
# time, 7: the monitor's pid).
column_of() {
	veneerctl list "$1" | awk -v n="$1" -v c="$2" '$2 == n { print $c }'
}

check_pause_top_shutdown() {
	partition_file spin counter.elf 4M "ticks=100000 period_ms=10"
	create /tmp/spin.cfg && wait_state spin running || return
	sleep 1
	veneerctl pause spin || fail "pause"
	wait_state spin paused
	t1=$(column_of spin 6)
	sleep 1
	t2=$(column_of spin 6)
	[ "$t1" = "$t2" ] || fail "paused, spin's time went $t1 -> $t2"
	veneerctl unpause spin || fail "unpause"
	wait_state spin running
	veneerctl top -b -n 1 -d 0.5 >/tmp/top.out || fail "top"
	awk '$1 == "spin" && $2 == "running" && $3 > 0 { ok = 1 } END { exit !ok }' \
		/tmp/top.out || fail "top: $(tr '\n' '|' </tmp/top.out)"
	t3=$(column_of spin 6)
	[ "$t3" != "$t2" ] || fail "unpaused, spin's time stays $t3"
	veneerctl shutdown spin || fail "shutdown"
	wait_state spin stopped
	veneerctl list spin | grep -q 'stopped by the root' ||
		fail "list after shutdown: $(veneerctl list spin)"
	destroy spin
	say "veneerctl pause $t1 $t2 unpause $t3 top shutdown"
}

# kill -9 of a monitor: the kernel closes its descriptors, the partition goes.
check_kill() {
	before=$(memory_pages)
	partition_file victim2 counter.elf 16M "ticks=100000 period_ms=10"
	create /tmp/victim2.cfg && wait_state victim2 running || return
	pid=$(column_of victim2 7)
	kill -9 "$pid" || fail "kill -9 $pid"
	wait_state victim2 gone
	memory_back "$before" "kill -9"
	veneerctl create /tmp/victim2.cfg >/dev/null 2>&1 ||
		fail "the name of a killed monitor's partition stays taken"
	destroy victim2
	say "veneerctl kill -9 destroyed"
}

# The hostile guests of the dom0less suite, as partitions of the root,
# all at once beside a victim.
check_hostile() {
	before=$(memory_pages)
	partition_file victim t_probe_victim.elf 16M rounds=16
	partition_file hostile t_hostile.elf 16M "fuzz=2000 runtime=1"
	partition_file sweeper t_probe_cpuid.elf 16M ""
	partition_file msrs t_probe_msr.elf 16M ""
	partition_file spinner t_probe_spin.elf 16M iters=0x4000000
	partition_file timers t_probe_timer_storm.elf 16M ms=2000
	partition_file triple t_triple.elf 4M ""
	for n in victim hostile sweeper msrs spinner timers triple; do
		create /tmp/$n.cfg || return
	done
	for n in victim hostile sweeper msrs spinner timers triple; do
		wait_state $n stopped 1800
	done
	for n in victim hostile sweeper msrs timers; do
		log_has $n 'TEST [a-z_]+: DONE passed=[0-9]+ failed=0'
		log_has $n '^\[veneerctl\] partition stopped: exited, status 0$'
	done
	log_has victim 'TEST victim: workload rounds=16 checksum=0x[0-9a-f]+ verified'
	log_has spinner 'TEST spinner: spun [0-9]+ iterations with interrupts off'
	log_has triple '^\[veneerctl\] partition stopped: stopped by the hypervisor: triple fault'
	destroy victim hostile sweeper msrs spinner timers triple
	memory_back "$before" hostile
	say "veneerctl hostile children survived"
}

# cycles N: N times create and destroy of a 16 MiB hello.
cycles() {
	i=0
	while [ $i -lt "$1" ]; do
		veneerctl create /tmp/cycle.cfg >/dev/null 2>/tmp/cycle.err ||
			{ fail "cycle $i: $(cat /tmp/cycle.err)"; return 1; }
		veneerctl destroy cycle 2>/tmp/cycle.err ||
			{ fail "cycle $i destroy: $(cat /tmp/cycle.err)"; return 1; }
		i=$((i + 1))
	done
}

# The root's free memory with its caches dropped, in KiB.
mem_free() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
	awk '/^MemFree/ { print $2 }' /proc/meminfo
}

# 2 x 100 create/destroy cycles: the hypervisor's pool and the root's
# memory.  The kernel's allocator may keep a block once in a while (a
# single step of its own, seen as MemFree 4 MiB lower once in 200 cycles,
# with no deposit held), so each half is measured: a leak of the cycles
# shows in both, 100 leaked pages as 400 KiB, a leaked child as 16 MiB.
check_cycles() {
	partition_file cycle hello.elf 16M ""
	cycles 10 || return
	before=$(memory_pages)
	free0=$(mem_free)
	cycles 100 || return
	free1=$(mem_free)
	cycles 100 || return
	free2=$(mem_free)
	memory_back "$before" cycles
	[ $((free0 - free1)) -lt 256 ] || [ $((free1 - free2)) -lt 256 ] ||
		fail "cycles: MemFree $free0 -> $free1 -> $free2 KiB"
	say "veneerctl cycles 200 MemFree $free0 $free1 $free2"
}

check_info() {
	veneerctl info >/tmp/info.out || fail "info"
	grep -qE '^hypervisor:  Veneer, ABI [0-9]+\.[0-9]+' /tmp/info.out &&
		grep -q '^features: .*partition_management' /tmp/info.out &&
		grep -q '^log' /tmp/info.out ||
		fail "info: $(tr '\n' '|' </tmp/info.out)"
	say "veneerctl $(sed -n 's/^memory: *//p' /tmp/info.out)"
}

check_usage
check_bad_files
check_unprivileged_ctl
check_info
check_examples
check_console
check_console_bytes
check_console_channel
check_disks
check_pause_top_shutdown
check_kill
check_hostile
. /stack/abuse.sh
. /stack/chan_abuse.sh
. /stack/disk-abuse.sh
check_cycles
