#!/usr/bin/env bash
# Compares the console log of a root-mode boot under Veneer with the log
# of the same kit booted on bare QEMU (tests/root/run-bare.sh):
#
#   check-boot-log.sh BARE_LOG VENEER_LOG
#
# Both logs are first normalized: terminal escapes, carriage returns and
# the kernel's "[    1.234567] " timestamps go, and every number (0x...
# hex first, then decimal digit runs) becomes "#", so that addresses,
# sizes, IRQs and times never make two equivalent lines differ.
#
# It fails, listing the offending lines, when
#   - the Veneer log has a fault line (WARNING, BUG, Oops, Call Trace,
#     panic, segfault) whose normalized text the bare log lacks; the
#     command line and /init's own VENEER-ROOT lines are not fault lines;
#   - a device or driver category of the bare log is missing under Veneer.
#     A category is the normalized "prefix: first-word" of a kernel line
#     "prefix: message", e.g. "virtio_blk virtio#: [vda]", "#:#: ttyS#"
#     (the 8250 port), "input: Power", "pci #:#:#.#: BAR".  Categories
#     that describe the memory map, clock calibration or the boot path
#     (efi, e820, tsc, clocksource, Memory, EFI stub, ...) legitimately
#     differ between the two firmware paths and are left out.
# A category or fault line that only the Veneer log has is not a failure
# by itself: extra lines are judged by the fault check alone.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: check-boot-log.sh BARE_LOG VENEER_LOG" >&2; exit 2; }
bare=$1 veneer=$2
for log in "$bare" "$veneer"; do
	[ -r "$log" ] || { echo "check-boot-log.sh: cannot read $log" >&2; exit 2; }
done

normalize() {
	tr -d '\r' <"$1" |
		sed -E 's/\x1b\[[0-9;=?]*[A-Za-z]//g; s/^\[ *[0-9]+\.[0-9]+\] //;
			s/0x[0-9a-fA-F]+/#/g; s/[0-9]+/#/g; s/[[:space:]]+/ /g; s/ $//'
}

fault_lines() {
	normalize "$1" | grep -E 'WARNING|BUG|Oops|Call Trace|panic|segfault' |
		grep -vE '^(Kernel )?[Cc]ommand line:|VENEER-ROOT:' | sort -u || true
}

# Prefixes whose lines follow the memory map, clock calibration or the
# way the kernel was loaded rather than a device or driver.
ignored='^(efi|EFI stub|BIOS-e#|e#|tsc|clocksource|sched_clock|Memory|RAMDISK|NODE_DATA|percpu|PM: hibernation|user|Command line|audit|random|x#/PAT|DMI|SMBIOS):'

# "prefix: first-word" of every line "prefix: message" whose prefix is one
# or two words (a subsystem, or a driver and its device), optionally with
# a "(device)" suffix, and is not one of the ignored ones.
categories() {
	normalize "$1" | grep -v 'VENEER-ROOT:' | awk -v ignored="$ignored" '
		{
			split_at = index($0, ": ")
			if (split_at < 2)
				next
			prefix = substr($0, 1, split_at - 1)
			rest = substr($0, split_at + 2)
			sub(/ \([^)]*\)$/, "", prefix)
			if (prefix !~ /^[A-Za-z0-9#][^ ]*( [^ ]+)?$/ || rest == "")
				next
			split(rest, words, " ")
			key = substr($0, 1, split_at + 1) words[1]
			if (key !~ ignored)
				print key
		}' | sort -u
}

failed=0
new_faults=$(comm -13 <(fault_lines "$bare") <(fault_lines "$veneer"))
if [ -n "$new_faults" ]; then
	sed 's/^/check-boot-log: fault line only under Veneer: /' <<<"$new_faults"
	failed=1
fi
missing=$(comm -23 <(categories "$bare") <(categories "$veneer"))
if [ -n "$missing" ]; then
	sed 's/^/check-boot-log: category missing under Veneer: /' <<<"$missing"
	failed=1
fi
[ $failed -eq 0 ] &&
	echo "check-boot-log: $(categories "$bare" | wc -l) categories of the bare log all present, no new fault line"
exit $failed
