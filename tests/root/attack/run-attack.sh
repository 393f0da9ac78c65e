#!/usr/bin/env bash
# Runs one attack of the root on the hypervisor (veneer_attack.ko) under
# Veneer and says whether the hypervisor held:
#
#   run-attack.sh BUILD_DIR ATTACK     (ATTACK: cpus, dma, msrs, initsipi,
#                                      icralias, logflood, pm1abyte)
#
#   cpus  two CPUs: the root's kernel starts the second one itself, and
#         each CPU reads, and tries to write, the hypervisor's memory
#   dma   a scratch virtio-blk disk as /dev/vdb: the device copies the
#         hypervisor's memory to it and a changed sector back
#   msrs  reports which MSRs that steer the hypervisor's memory and time
#         the root may write (a list to read: it breaks nothing itself)
#   initsipi  two CPUs: the root sends INIT and STARTUP IPIs to the other
#         CPU itself, with a start program that leaves a marker
#   icralias  as initsipi, with each IPI written 4, 8 or 12 bytes past the
#         ICR, where QEMU's APIC takes it for the ICR
#   logflood  two CPUs: 2000 APIC stores the hypervisor cannot decode and
#         2000 PM1a sleep writes that sleep nothing; broken if the
#         hypervisor logs a line for each (more than log_bound)
#   pm1abyte  a power-off by a 1-byte SLP_EN write to PM1a control's high
#         byte; broken if the machine goes off without the hypervisor's
#         exit summary
#
# An attack that can write the hypervisor's memory replaces the start of
# the hypervisor's "root: SVM instruction" log line with its marker.
# The kit must be built (tests/root/kit.sh BUILD_DIR).  The logs are in
# BUILD_DIR/root-attack/ATTACK/.  Exits 0 if the hypervisor held, 1 if the
# attack read or changed the hypervisor's memory, 2 on a harness error.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: run-attack.sh BUILD_DIR ATTACK" >&2; exit 2; }
build=$1 attack=$2 here=$(cd "$(dirname "$0")" && pwd)
out=$build/root-attack/$attack
log_bound=32 # lines a logged-once-then-at-powers-of-2 event gives for 2000
mkdir -p "$out"

qemu_args=()
case $attack in
cpus) qemu_args=(-smp 2) ;;
dma)
	rm -f "$out/scratch.img"
	truncate -s 4M "$out/scratch.img"
	qemu_args=(-drive "if=none,id=scratch,format=raw,file=$out/scratch.img"
		-device virtio-blk-pci,drive=scratch)
	;;
msrs | pm1abyte) ;;
initsipi | icralias | logflood) qemu_args=(-smp 2) ;;
*) echo "run-attack.sh: unknown attack $attack" >&2; exit 2 ;;
esac

status=0
nice "$here/../run-veneer.sh" "$build" "$out" veneer_test=attack \
	"veneer.attack=$attack" -- "${qemu_args[@]}" || status=$?
echo "run-attack: QEMU exited with $status"
"$here/../init-lines.sh" "$out/root.log" | grep -a '^VENEER-ROOT: attack ' || true
{ grep -a 'ATTACK-\|^\[hv\] root: ' "$out/hv.log" | head -n 40; } || true

broken=0
if grep -aq 'ATTACK-[A-Z]* WROTE HERE' "$out/hv.log"; then
	echo "run-attack: BROKEN: the hypervisor logged the root's marker"
	broken=1
fi
if "$here/../init-lines.sh" "$out/root.log" | grep -aqE '^VENEER-ROOT: attack (cpu [0-9]+ .*hv-first|dma-out hv-first)=0x[0-9a-f]*[1-9a-f]'; then
	echo "run-attack: BROKEN: the root read non-zero bytes of the hypervisor's memory"
	broken=1
fi
if "$here/../init-lines.sh" "$out/root.log" | grep -aq 'another-cpu-ran-root-code'; then
	echo "run-attack: BROKEN: a withheld CPU ran the root's start program"
	broken=1
fi
if [ "$attack" = initsipi ] || [ "$attack" = icralias ]; then
	if ! "$here/../init-lines.sh" "$out/root.log" | grep -aq "attack $attack marker=0x0 no-cpu-started"; then
		echo "run-attack: $attack did not report that no CPU started"
		broken=1
	fi
fi
if [ "$attack" = pm1abyte ] && ! "$here/../init-lines.sh" "$out/root.log" | grep -aq 'attack pm1abyte .*still-running' &&
	! grep -aq 'powering the machine off' "$out/hv.log"; then
	echo "run-attack: BROKEN: the root powered off without the hypervisor's exit summary"
	broken=1
fi
if [ "$attack" = logflood ]; then
	apic_lines=$(grep -ac 'root: write to its local APIC' "$out/hv.log" || true)
	summaries=$(grep -ac 'root: hypervisor pool in use' "$out/hv.log" || true)
	echo "run-attack: logflood: $apic_lines APIC-store lines, $summaries exit summaries, $(wc -l <"$out/hv.log") lines in all"
	if [ "$apic_lines" -gt $log_bound ] || [ "$summaries" -gt $log_bound ]; then
		echo "run-attack: BROKEN: the root makes the hypervisor log without bound"
		broken=1
	fi
fi
if [ "$attack" = dma ] && head -c 2 "$out/scratch.img" | grep -q MZ; then
	echo "run-attack: BROKEN: the scratch disk holds the hypervisor's image (MZ header)"
	broken=1
fi
[ $broken -eq 0 ] && echo "run-attack: $attack: the hypervisor held"
exit $broken
