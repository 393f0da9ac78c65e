# What veneerctl's monitors withstand (sourced by veneerctl.sh, whose
# helpers it uses): a console flood, port storms and VPs that never halt
# or never wake, clients of the control socket that are silent, slow or
# malformed, a stopped monitor, FIFOs for files, and run and log
# directories someone else could write.  Each check ends with the
# hypervisor's memory back at its value before.
S=/run/veneer

# within SECS COMMAND...: COMMAND succeeds in SECS seconds.
within() {
	secs=$1
	shift
	timeout "$secs" "$@" >/tmp/within.out 2>&1 ||
		fail "'$*' did not succeed within $secs s: $(cat /tmp/within.out)"
}

file_size() {
	[ -e "$1" ] && wc -c <"$1" || echo 0
}

# A console flood fills no more than two log files of 1 MiB.
check_flood() {
	before=$(memory_pages)
	partition_file fl abuse_guest.elf 4M "mode=1 count=0"
	create /tmp/fl.cfg || return
	sleep 6
	within 2 veneerctl list fl
	size=$(($(file_size $LOGS/fl.log) + $(file_size $LOGS/fl.log.1)))
	[ "$size" -le 2097152 ] && [ -s $LOGS/fl.log.1 ] ||
		fail "flood: the logs hold $size bytes"
	destroy fl
	memory_back "$before" flood
	say "veneerctl abuse flood logs $size bytes"
}

# Hostile VPs: each can still be paused, resumed and destroyed at once.
check_hostile_vps() {
	before=$(memory_pages)
	partition_file storm abuse_guest.elf 4M "mode=2 count=0"
	partition_file spin4 abuse_guest.elf 4M mode=3
	partition_file clihlt abuse_guest.elf 4M mode=4
	partition_file sleeper abuse_guest.elf 4M mode=5
	for n in storm spin4 clihlt sleeper; do create /tmp/$n.cfg || return; done
	sleep 1
	log_has storm 'port 0x80 has no device'
	for n in storm spin4 clihlt sleeper; do
		within 2 veneerctl pause $n
		within 2 veneerctl unpause $n
	done
	within 10 veneerctl destroy storm spin4 clihlt sleeper
	memory_back "$before" "hostile VPs"
	say "veneerctl abuse hostile VPs"
}

# Silent, slow and malformed clients delay no one else.
check_clients() {
	partition_file sv counter.elf 4M "ticks=100000 period_ms=10"
	create /tmp/sv.cfg || return
	abuse_sock hold $S/sv.sock 10 8 &
	abuse_sock trickle $S/sv.sock 1 pause &
	sleep 0.5
	within 2 veneerctl pause sv
	within 2 veneerctl unpause sv
	abuse_sock send $S/sv.sock 'pause\0junk\n' >/tmp/nul.out
	grep -q 'error: not a request' /tmp/nul.out ||
		fail "a request with a NUL: $(cat /tmp/nul.out)"
	abuse_sock send $S/sv.sock "$(printf '%040d' 0)" >/tmp/long.out
	grep -q 'error: request too long' /tmp/long.out ||
		fail "an overlong request: $(cat /tmp/long.out)"
	[ "$(state_of sv)" = running ] || fail "sv is $(state_of sv)"
	# A monitor that does not answer: the client gives up.
	pid=$(column_of sv 7)
	kill -STOP "$pid"
	timeout 10 veneerctl pause sv >/tmp/stopped.out 2>&1
	code=$?
	kill -CONT "$pid"
	[ $code -eq 1 ] && grep -q 'did not answer within 5 s' /tmp/stopped.out ||
		fail "pause of a stopped monitor: $code $(cat /tmp/stopped.out)"
	within 5 veneerctl destroy sv
	wait
	say "veneerctl abuse clients"
}

# FIFOs for a partition file or an image are refused, not waited on.
check_fifos() {
	mkfifo /tmp/fifo.cfg /tmp/fifo.elf
	expect_error 2 'fifo.cfg: not a regular file' \
		timeout 5 veneerctl create /tmp/fifo.cfg
	partition_file ff fifo.elf 4M ""
	sed -i 's|/stack/fifo.elf|/tmp/fifo.elf|' /tmp/ff.cfg
	expect_error 1 'not a regular file' timeout 5 veneerctl create /tmp/ff.cfg
	[ "$(state_of ff)" = gone ] || fail "a FIFO image left partition ff"
	rm -f /tmp/fifo.cfg /tmp/fifo.elf
	say "veneerctl abuse FIFOs refused"
}

# The log is never written through a symbolic link; a file that is not a
# socket where the socket goes is not removed.
check_files() {
	echo precious >/tmp/target
	ln -sf /tmp/target $LOGS/pw.log
	partition_file pw abuse_guest.elf 4M "mode=6 say=pwned"
	expect_error 1 'pw.log: ' veneerctl create /tmp/pw.cfg
	[ "$(cat /tmp/target)" = precious ] || fail "the log followed a link"
	rm -f $LOGS/pw.log
	echo precious >$S/rf.sock
	partition_file rf counter.elf 4M ""
	expect_error 1 "partition 'rf': listening" veneerctl create /tmp/rf.cfg
	[ "$(cat $S/rf.sock)" = precious ] || fail "rf.sock was removed"
	rm -f $S/rf.sock
	say "veneerctl abuse links and files"
}

# Run and log directories others could write are refused, by create and
# by the verbs that talk to monitors.
check_dirs() {
	chown nobody $S
	expect_error 1 "$S must be a directory of uid 0" \
		veneerctl create /stack/hello.cfg
	expect_error 1 "$S must be a directory of uid 0" veneerctl pause hello
	chown root $S
	chmod 0777 $LOGS
	expect_error 1 "$LOGS must be a directory" veneerctl create /stack/hello.cfg
	chmod 0750 $LOGS
	mv $S /tmp/run-veneer
	mkdir /tmp/elsewhere
	ln -s /tmp/elsewhere $S
	expect_error 1 'is a symbolic link' veneerctl create /stack/hello.cfg
	rm $S
	mv /tmp/run-veneer $S
	[ "$(state_of hello)" = gone ] || fail "a refused directory left hello"
	say "veneerctl abuse directories refused"
}

check_names() {
	partition_file dup counter.elf 4M ""
	create /tmp/dup.cfg || return
	expect_error 1 "a partition named 'dup' exists already" \
		veneerctl create /tmp/dup.cfg
	destroy dup
	say "veneerctl abuse names"
}

# A stopped monitor with a full backlog: the client gives up in 5 s.
check_backlog() {
	partition_file ch counter.elf 4M "ticks=100000 period_ms=1000"
	create /tmp/ch.cfg || return
	pid=$(column_of ch 7)
	kill -STOP "$pid"
	abuse_sock hold $S/ch.sock 20 30 >/dev/null 2>&1 &
	hold=$!
	sleep 1
	timeout 20 veneerctl pause ch >/tmp/ch.out 2>&1
	code=$?
	kill -CONT "$pid"
	kill "$hold"
	wait "$hold"
	[ $code -eq 1 ] && grep -q 'accepts no connection within 5 s' /tmp/ch.out ||
		fail "pause behind a full backlog: $code $(cat /tmp/ch.out)"
	sleep 2.5
	within 10 veneerctl destroy ch
	say "veneerctl abuse backlog"
}

# A full request table is said, not a silent SIGPIPE.
check_pending_full() {
	partition_file pf counter.elf 4M "ticks=100000 period_ms=1000"
	create /tmp/pf.cfg || return
	abuse_sock hold $S/pf.sock 16 4 >/dev/null &
	hold=$!
	sleep 0.5
	veneerctl pause pf >/tmp/pf.out 2>&1
	code=$?
	[ $code -eq 1 ] && grep -q 'too many requests at once' /tmp/pf.out ||
		fail "pause with 16 pending clients: $code $(cat /tmp/pf.out)"
	wait "$hold"
	within 2 veneerctl pause pf
	within 5 veneerctl destroy pf
	say "veneerctl abuse request table full"
}

# Consoles that left free their slots, even while the partition is quiet;
# a console killed with its output in a file has written what it got.
check_departed_consoles() {
	partition_file dc abuse_guest.elf 4M mode=5
	create /tmp/dc.cfg || return
	sleep 1
	i=0
	while [ $i -lt 9 ]; do
		timeout 1 veneerctl console dc >/tmp/dc.out 2>&1
		grep -q "abuse: 'dc' mode 5" /tmp/dc.out ||
			fail "console $i of dc: $(tr '\n' '|' </tmp/dc.out)"
		i=$((i + 1))
	done
	destroy dc
	say "veneerctl abuse departed consoles"
}

size_of() {
	[ -f "$1" ] && wc -c <"$1" || echo none
}

# The log goes on when the operator removes it, when its .1 cannot be
# replaced, and never through a link at its .1.
check_log_rotation() {
	echo precious >/tmp/target3
	partition_file rl counter.elf 4M "ticks=100000 period_ms=100"
	partition_file dl abuse_guest.elf 4M "mode=1 count=0"
	partition_file sy abuse_guest.elf 4M "mode=1 count=0"
	mkdir -p $LOGS/dl.log.1/keep
	ln -sf /tmp/target3 $LOGS/sy.log.1
	for n in rl dl sy; do create /tmp/$n.cfg || return; done
	sleep 2
	rm $LOGS/rl.log
	sleep 4
	a=$(size_of $LOGS/dl.log)
	sleep 2
	b=$(size_of $LOGS/dl.log)
	[ -f $LOGS/rl.log ] || fail "rl.log, removed, never came back"
	log_has rl 'the log goes on in a new file'
	[ "$a" != "$b" ] || fail "a directory at dl.log.1 stopped dl's log"
	log_has dl 'the log starts again: its .1 could not be replaced'
	[ "$(cat /tmp/target3)" = precious ] || fail "wrote through sy.log.1"
	destroy rl dl sy
	rm -rf $LOGS/dl.log.1
	say "veneerctl abuse log rotation"
}

# A full disk stops the log only while it is full.
check_full_disk() {
	mount -t tmpfs -o size=256k,mode=0750 tmpfs $LOGS || {
		fail "no tmpfs for $LOGS"
		return
	}
	dd if=/dev/zero of=$LOGS/filler bs=1k count=2048 2>/dev/null
	partition_file fd counter.elf 4M "ticks=100000 period_ms=200"
	create /tmp/fd.cfg || { umount $LOGS; return; }
	sleep 2
	a=$(size_of $LOGS/fd.log)
	rm $LOGS/filler
	sleep 3
	b=$(size_of $LOGS/fd.log)
	[ "$a" != "$b" ] || fail "after a full disk fd.log stays at $a bytes"
	log_has fd 'the log goes on after a failed write'
	destroy fd
	umount $LOGS
	say "veneerctl abuse full disk"
}

check_flood
check_hostile_vps
check_clients
check_fifos
check_files
check_dirs
check_names
check_backlog
check_pending_full
check_departed_consoles
check_log_rotation
check_full_disk
