#!/usr/bin/env bash
# ./veneer bench: the cost of Veneer's basic operations in emulated
# instructions (QEMU -icount shift=0: the guest's TSC counts instructions),
# plus the size of hv.efi and the hypervisor's memory use.
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
out=$build/bench
mkdir -p "$out/guests"
cp "$build/tests/bench/b_costs.elf" "$out/guests/"

"$here/../integration/qemu-run.sh" --hv "$build/hv/hv.efi" \
	--config "$here/bench.cfg" --guests "$out/guests" --out "$out" \
	--icount --timeout 600 || true
log=$(sed -e 's/\r//g' "$out/serial.log")

echo "== Veneer benchmarks (emulated instructions, QEMU TCG -icount shift=0) =="
grep -o 'BENCH .*' <<<"$log" | sed 's/^BENCH /  /' | column -t
echo "== Hypervisor footprint =="
printf '  hv.efi size: %s bytes\n' "$(stat -c %s "$build/hv/hv.efi")"
grep -o 'pool in use after boot: .*' <<<"$log" | sed 's/^/  page /' || true
grep -o 'hypervisor image .*' <<<"$log" | sed 's/^/  /' || true
[ -x "$build/tests/ring/ring_bench" ] && "$build/tests/ring/ring_bench"
exit 0
