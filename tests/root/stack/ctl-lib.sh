# Helpers of the root-stack scripts that drive veneerctl (veneerctl.sh,
# linux.sh, blk-bench.sh), sourced after run.sh's say/fail.
LOGS=/var/log/veneer

# The hypervisor's deposit counts, "deposited D, used U, free F" in pages.
memory_pages() {
	veneerctl info | sed -n 's/^memory: .*(\(.*\) pages)$/\1/p'
}

# The STATE column of NAME in veneerctl list, or "gone".
state_of() {
	veneerctl list "$1" 2>/dev/null | awk -v n="$1" '$2 == n { print $3 }' |
		grep . || echo gone
}

# wait_state NAME STATE [TENTHS]: polls until NAME is in STATE.
wait_state() {
	tries=${3:-300}
	while [ "$(state_of "$1")" != "$2" ] && [ "$tries" -gt 0 ]; do
		sleep 0.1
		tries=$((tries - 1))
	done
	[ "$(state_of "$1")" = "$2" ] || {
		fail "$1 is $(state_of "$1"), not $2"
		return 1
	}
}

# log_has NAME ERE: a line of NAME's console log matches.
log_has() {
	grep -aqE "$2" "$LOGS/$1.log" || {
		fail "$1's console has no line like '$2'"
		tail -n 5 "$LOGS/$1.log" | while read -r l; do say "  $1: $l"; done
		return 1
	}
}

# partition_file NAME IMAGE MEMORY [CMDLINE]: /tmp/NAME.cfg
partition_file() {
	printf '[partition %s]\nimage = /stack/%s\nmemory = %s\nprivileges = debug_console\ncmdline = %s\n' \
		"$1" "$2" "$3" "$4" >"/tmp/$1.cfg"
}

create() {
	veneerctl create "$1" >/tmp/create.out 2>&1 || {
		fail "veneerctl create $1: $(cat /tmp/create.out)"
		return 1
	}
}

destroy() {
	veneerctl destroy "$@" 2>/tmp/destroy.err ||
		fail "veneerctl destroy $*: $(cat /tmp/destroy.err)"
}

memory_back() {
	now=$(memory_pages)
	[ "$now" = "$1" ] || fail "$2: hypervisor memory ($now) is not back at ($1)"
}

# expect_error WANTED_EXIT ERE COMMAND...: fails with that code and text.
expect_error() {
	want=$1 text=$2
	shift 2
	"$@" >/tmp/err.out 2>&1
	code=$?
	[ $code -eq "$want" ] && grep -qE "$text" /tmp/err.out ||
		fail "'$*' exited $code with '$(cat /tmp/err.out)'"
}

# linux_file NAME TEST [LINE]: /stack/NAME.cfg, linux.cfg as partition
# NAME running veneer_test=TEST, with LINE added.
linux_file() {
	sed -e "s/^\\[partition linux\\]/[partition $1]/" \
		-e "s/veneer_test=boot/veneer_test=$2/" \
		/stack/linux.cfg >"/stack/$1.cfg"
	[ -z "${3:-}" ] || echo "$3" >>"/stack/$1.cfg"
}

# wait_linux NAME: it stops within 3 minutes (else its last lines are
# shown) with no failure, kernel bug or warning in its console.
wait_linux() {
	wait_state "$1" stopped 1800 || {
		tail -n 20 "$LOGS/$1.log" | while read -r l; do say "  $1: $l"; done
		return 1
	}
	if grep -aqE 'FAIL|BUG|Oops|WARNING|Call Trace' "$LOGS/$1.log"; then
		fail "$1: $(grep -aE 'FAIL|BUG|Oops|WARNING|Call Trace' "$LOGS/$1.log" | head -n 3)"
	fi
}
