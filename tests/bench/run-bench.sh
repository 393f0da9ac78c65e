#!/usr/bin/env bash
# ./veneer bench: what Veneer's operations cost, measured.
#
#   run-bench.sh BUILD_DIR
#
# One QEMU boot (bench.cfg) under -icount shift=0, where the guest's TSC
# counts emulated instructions (guest and hypervisor together), runs the
# benchmark partitions one group after the other: basic costs, partition
# life cycle, channel stream, message ping-pong.  They print "BENCH" lines
# (bench.h); this script turns them into one table per group, adds the host
# ring benchmark and the hypervisor's footprint, and checks that the
# figures are plausible.  A figure that cannot be measured is reported with
# the reason; the script exits 0 all the same.
#
# VENEER_BENCH_TIMEOUT: seconds QEMU may run (default 240).
# VENEER_BENCH_LOG=FILE: report on the serial log FILE of an earlier run
# instead of booting (for working on this script).
set -uo pipefail

build=$(cd "${1:?usage: run-bench.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=$build/bench
timeout=${VENEER_BENCH_TIMEOUT:-240}
hv=$build/hv/hv.efi

# ---------------------------------------------------------------- the run

rm -rf "$out/guests"
mkdir -p "$out/guests"
rm -f "$out/serial.log"
missing_guests=()
for g in b_costs b_life b_stream b_msg; do
	if [ -f "$build/tests/bench/$g.elf" ]; then
		cp "$build/tests/bench/$g.elf" "$out/guests/"
	else
		missing_guests+=("$g")
	fi
done

qemu_status=
qemu_seconds=0
if [ -n "${VENEER_BENCH_LOG:-}" ]; then
	cp "$VENEER_BENCH_LOG" "$out/serial.log" 2>/dev/null
elif [ -f "$hv" ]; then
	echo "bench: booting Veneer under QEMU -icount shift=0 (about a minute)..."
	t0=$(date +%s)
	"$here/../integration/qemu-run.sh" --hv "$hv" \
		--config "$here/bench.cfg" --guests "$out/guests" --out "$out" \
		--icount --timeout "$timeout" >"$out/qemu.log" 2>&1
	qemu_status=$?
	qemu_seconds=$(($(date +%s) - t0))
fi
log=
[ -f "$out/serial.log" ] && log=$(sed -e 's/\r//g' "$out/serial.log")

# ------------------------------------------------------------- the figures

declare -A fig    # name -> "median=.. min=.. max=.. samples=.." or "value=.."
declare -A unmeas # name -> why
while read -r name rest; do
	case "$rest" in
	unmeasured:*) unmeas[$name]=${rest#unmeasured: } ;;
	*) fig[$name]=$rest ;;
	esac
done < <(grep -ao 'BENCH .*' <<<"$log" | sed 's/^BENCH //')

# field NAME KEY: the number after KEY= in NAME's line, or nothing.
field() {
	local rest=${fig[$1]:-}
	[[ " $rest" =~ \ $2=([0-9]+) ]] && echo "${BASH_REMATCH[1]}"
}

# num NUMBER-OR-NOTHING: the number, 0 for nothing.
num() {
	echo "${1:-0}"
}

# val NAME: a "value=" figure, ? when it is missing.
val() {
	local v
	v=$(field "$1" value)
	echo "${v:-?}"
}

# Which partition measures a figure (for the reason it is missing).
partition_of() {
	case "$1" in
	null_* | cpuid_* | debug_* | rdtsc_*) echo b_costs ;;
	life_*) echo life ;;
	stream_sender_* | stream_ring_*) echo source ;;
	stream_*) echo sink ;;
	msg_*_ping_to_pong | msg_errors_pong) echo pong ;;
	msg_*) echo ping ;;
	esac
}

# Why a figure is missing.
why() {
	local p stop
	if [ -n "${unmeas[$1]:-}" ]; then
		echo "${unmeas[$1]}"
		return
	fi
	p=$(partition_of "$1")
	for k in "${!unmeas[@]}"; do
		if [ "$(partition_of "$k")" = "$p" ]; then
			echo "${unmeas[$k]}"
			return
		fi
	done
	if [ ! -f "$hv" ]; then
		echo "no $hv (build first)"
		return
	fi
	if [ ${#missing_guests[@]} -ne 0 ]; then
		echo "guest images not built: ${missing_guests[*]}"
		return
	fi
	if [ -z "$log" ]; then
		echo "no serial log (see $out/qemu.log)"
		return
	fi
	stop=$(grep -a "partition [0-9]* '$p' stopped: " <<<"$log" | head -1 |
		sed "s/.*stopped: //")
	if [ -n "$stop" ] && [ "$stop" != "exited with status 0" ]; then
		echo "partition '$p' stopped: $stop"
	elif [ "$qemu_status" = 124 ]; then
		echo "QEMU timed out after ${timeout}s before '$p' reported"
	else
		echo "no result from partition '$p' (see $out/serial.log)"
	fi
}

# x100 NUMBER: a value scaled by 100, with two decimals.
x100() {
	printf '%d.%02d' $(($1 / 100)) $(($1 % 100))
}

# row LABEL NAME [x100]: median, min, max, samples of a sampled figure.
row() {
	local label=$1 name=$2 scale=${3:-} med mn mx n
	med=$(field "$name" median)
	if [ -z "$med" ]; then
		printf '  %-42s not measured: %s\n' "$label" "$(why "$name")"
		return
	fi
	mn=$(field "$name" min) mx=$(field "$name" max) n=$(field "$name" samples)
	if [ -n "$scale" ]; then
		med=$(x100 "$med") mn=$(x100 "$mn") mx=$(x100 "$mx")
	fi
	printf '  %-42s %10s %10s %10s %8s\n' "$label" "$med" "$mn" "$mx" "$n"
}

header() {
	printf '  %-42s %10s %10s %10s %8s\n' "$1" median min max "$2"
}

# The hypervisor's summary: "calls NAME n" or "exits NAME n" of a partition.
summary_count() {
	awk -v p="'$1':" -v kind="$2" -v what="$3" '
		/\[hv\] partition [0-9]+ / { on = ($4 == p) }
		on && $2 == kind && $3 == what { print $4; exit }' <<<"$log"
}
summary_exits() {
	awk -v p="'$1':" '
		/\[hv\] partition [0-9]+ / { on = ($4 == p); next }
		on && $2 == "exits" { n += $NF }
		/\[hv\] summary:/ { on = 0 }
		END { if (n) print n }' <<<"$log"
}

checks=()
check() { # check DESCRIPTION CONDITION-RESULT(0/1)
	if [ "$2" = 1 ]; then
		checks+=("  ok      $1")
	else
		checks+=("  FAILED  $1")
	fi
}
# both NAME...: all these figures are there.
have() {
	for n in "$@"; do [ -n "$(field "$n" median)$(field "$n" value)" ] || return 1; done
}

echo
echo "Veneer benchmarks: QEMU TCG -icount shift=0, where the TSC counts"
echo "emulated instructions (guest and hypervisor together).  Figures are"
echo "medians of many samples with their min and max; icount makes them"
echo "nearly deterministic."
if [ -n "$qemu_status" ]; then
	# isa-debug-exit: (failures << 1) | 1.
	if [ $((qemu_status & 1)) = 1 ]; then
		ran="$((qemu_status >> 1)) partition(s) failed"
	elif [ "$qemu_status" = 124 ]; then
		ran="timed out"
	else
		ran="exit status $qemu_status"
	fi
	echo "(QEMU ran ${qemu_seconds}s: $ran; serial log: $out/serial.log)"
fi

# 1. Basic operations
echo
echo "== 1. Basic operations (emulated instructions per operation) =="
header operation samples
row "null hypercall round trip" null_hypercall
row "CPUID exit" cpuid_exit
row "DEBUG_WRITE of 32 bytes" debug_write_32B
[ -n "$(field rdtsc_pair value)" ] &&
	echo "  (the $(field rdtsc_pair value) instructions of the RDTSC pair are subtracted)"
null=$(field null_hypercall median)

# 2. Messages
echo
echo "== 2. Messages between two partitions (emulated instructions) =="
echo "  POST_MESSAGE with $(val msg_payload_bytes) bytes of payload, SynIC delivery and the switch"
echo "  to the receiver until it holds the message; one CPU, so the sender"
echo "  gives up the CPU by halting (halted) or yielding (polling)."
header "receiver / figure" samples
for mode in halt poll; do
	[ $mode = halt ] && m="halted, woken by SINT" || m="polling (SINT masked)"
	row "$m: one way ping->pong" msg_${mode}_oneway_ping_to_pong
	row "$m: one way pong->ping" msg_${mode}_oneway_pong_to_ping
	row "$m: round trip" msg_${mode}_roundtrip
done
rt=$(field msg_roundtrips_per_mode value)
[ -n "$rt" ] && echo "  $rt measured round trips per mode (after a warm-up)"
errors=$(($(num "$(field msg_errors_ping value)") + $(num "$(field msg_errors_pong value)")))
for mode in halt poll; do
	if have msg_${mode}_roundtrip msg_${mode}_oneway_ping_to_pong msg_${mode}_oneway_pong_to_ping; then
		r=$(field msg_${mode}_roundtrip median)
		a=$(field msg_${mode}_oneway_ping_to_pong median)
		b=$(field msg_${mode}_oneway_pong_to_ping median)
		[ -n "$null" ] && check "$mode: one-way message ($a, $b) costs more than a null hypercall ($null)" \
			$((a > null && b > null))
		check "$mode: round trip ($r) = both one-way costs ($((a + b))) within 10%" \
			$(((r - a - b) * 10 <= r && (a + b - r) * 10 <= r))
	fi
done
if have msg_halt_roundtrip && [ -n "$rt" ] && [ -n "$(field msg_halt_ping_interrupts value)" ]; then
	irq=$(field msg_halt_ping_interrupts value)
	check "halted: ping took a SINT interrupt per reply ($irq for $rt + warm-up)" $((irq >= rt))
fi
have msg_errors_ping msg_errors_pong &&
	check "messages: none lost, out of order or of the wrong type" $((errors == 0))

# 3. Streaming channel
echo
pk=$(field stream_packets value)
ring=$(field stream_ring_bytes value)
echo "== 3. Streaming channel: one-way stream of $(val stream_packet_bytes)-byte packets =="
echo "  $(val stream_streams) streams of $(val stream_packets_per_stream) packets back to back${ring:+, send ring $((ring / 1024)) KiB};"
echo "  interrupt suppression as in docs/spec/ring.md; both partitions' calls count."
header "figure (per stream)" streams
row "SIGNAL_EVENT calls per 1000 packets" stream_signals_per_1000_x100 x100
row "emulated instructions per packet" stream_instr_per_packet_x100 x100
ss=$(field stream_sender_signals value) rs=$(field stream_receiver_signals value)
ins=$(field stream_instructions value)
if [ -n "$pk" ] && [ -n "$ss" ] && [ -n "$rs" ] && [ "$pk" -gt 0 ]; then
	tot=$((ss + rs))
	echo "  whole run: $pk packets, $tot SIGNAL_EVENT calls (sender $ss, receiver $rs)"
	echo "    = $(x100 $((tot * 100000 / pk))) per 1000 packets (target: under 10)${ins:+; $(x100 $((ins * 100 / pk))) instructions per packet}"
	hs=$(($(num "$(summary_count sink calls SIGNAL_EVENT)") + $(num "$(summary_count source calls SIGNAL_EVENT)")))
	ex=$(($(num "$(summary_exits sink)") + $(num "$(summary_exits source)")))
	if [ "$ex" -gt 0 ]; then
		echo "  the hypervisor counted $hs SIGNAL_EVENT calls and $ex VM exits of both"
		echo "    partitions (all reasons, channel set-up included) = $(x100 $((ex * 100000 / pk))) exits per 1000 packets"
		check "stream: the hypervisor counted the SIGNAL_EVENT calls the partitions made ($hs = $tot)" $((hs == tot))
	fi
	check "stream: under 10 SIGNAL_EVENT calls per 1000 packets ($(x100 $((tot * 100000 / pk))))" \
		$((tot * 1000 < 10 * pk))
	perr=$(val stream_packet_errors)
	check "stream: every packet arrived in order ($pk, $perr errors)" \
		"$([ "$perr" = 0 ] && echo 1 || echo 0)"
	if [ -n "$ins" ] && have msg_poll_oneway_ping_to_pong; then
		check "stream: a packet ($((ins / pk))) costs less than a message one way ($(field msg_poll_oneway_ping_to_pong median))" \
			$((ins / pk < $(field msg_poll_oneway_ping_to_pong median)))
	fi
fi

# 4. Partition life cycle
echo
bytes=$(field life_child_bytes value)
echo "== 4. Partition life cycle from the root partition (emulated instructions) =="
echo "  a ${bytes:+$((bytes >> 20)) MiB, }1-VP child that exits at once; memory deposited once, before"
header "step" cycles
row "create + build (vnr_child_build)" life_create_build
row "start .. exit message received" life_start_to_exit
row "destroy" life_destroy
row "whole cycle" life_total
if have life_total life_create_build life_start_to_exit life_destroy; then
	t=$(field life_total median)
	s=$(($(field life_create_build median) + $(field life_start_to_exit median) + $(field life_destroy median)))
	check "life cycle: the steps ($s) add up to the whole ($t) within 1%" \
		$(((t - s) * 100 <= t && (s - t) * 100 <= t))
	have msg_halt_roundtrip &&
		check "life cycle: costs more than a message round trip" \
			$((t > $(field msg_halt_roundtrip median)))
fi

# 5. Host ring benchmark
echo
echo "== 5. Host: channel ring vs Concurrency Kit (tests/ring/ring_bench, wall clock) =="
if [ -x "$build/tests/ring/ring_bench" ]; then
	"$build/tests/ring/ring_bench" -r 9 2>&1 | sed 's/^/  /' ||
		echo "  not measured: ring_bench failed"
else
	echo "  not measured: $build/tests/ring/ring_bench was not built (needs libck-dev)"
fi

# 6. Footprint
echo
echo "== 6. Hypervisor footprint =="
if [ -f "$hv" ]; then
	sz=$(stat -c %s "$hv")
	printf '  %-42s %10s bytes (%d KiB)\n' "hv.efi size" "$sz" $(((sz + 1023) / 1024))
else
	printf '  %-42s not measured: no %s\n' "hv.efi size" "$hv"
fi
img=$(grep -ao 'hypervisor image [0-9]* KiB' <<<"$log" | head -1 | awk '{print $3}')
pool=$(grep -ao ', pool [0-9]* KiB' <<<"$log" | head -1 | awk '{print $3}')
boot=$(grep -ao 'pool in use after boot: [0-9]* KiB' <<<"$log" | head -1 | awk '{print $6}')
end=$(grep -ao 'summary: .* hypervisor pool in use [0-9]* KiB' <<<"$log" | head -1 |
	awk '{print $(NF-1)}')
nparts=$(grep -ac "^\[hv\] partition [0-9]* '.*': [0-9]* MiB at" <<<"$log")
foot() {
	if [ -n "$2" ]; then
		printf '  %-42s %10s KiB%s\n' "$1" "$2" "${3:-}"
	else
		printf '  %-42s not measured: %s\n' "$1" \
			"no such line in the log${qemu_status:+ (QEMU status $qemu_status)}"
	fi
}
foot "hypervisor image in memory" "$img"
foot "page pool (reserved at boot)" "$pool"
foot "pool in use after boot" "$boot" " ($nparts partitions built)"
children=$(grep -ac "'bench-child' destroyed" <<<"$log")
foot "pool in use at the end" "$end" " (all partitions ended, $children children destroyed)"
[ -n "$boot" ] && [ -n "$end" ] &&
	check "pool: in use at the end ($end KiB) within 64 KiB of after boot ($boot KiB)" \
		$((end - boot <= 64 && boot - end <= 64))

# Plausibility
echo
echo "== Plausibility checks =="
if [ -n "$null" ]; then
	c=$(field cpuid_exit median) d=$(field debug_write_32B median)
	[ -n "$c" ] && check "basic: null hypercall ($null) and CPUID exit ($c) are 50..5000 instructions" \
		$((null >= 50 && null <= 5000 && c >= 50 && c <= 5000))
	[ -n "$d" ] && check "basic: a 32-byte DEBUG_WRITE ($d) costs more than a null hypercall" $((d > null))
fi
if [ ${#checks[@]} -eq 0 ]; then
	echo "  none could be made: no figures"
else
	printf '%s\n' "${checks[@]}"
fi
exit 0
