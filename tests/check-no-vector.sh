#!/usr/bin/env bash
# Fails when hypervisor code other than the extended-state switch
# (xstate.c) contains an x87, MMX, SSE or AVX instruction: the hypervisor
# runs on the guests' extended state, which it switches lazily.
#
#   check-no-vector.sh OBJECT...
set -uo pipefail
bad=0
for obj in "$@"; do
	case "$obj" in */xstate.c.o) continue ;; esac
	# The instruction is the second tab-separated field of a line.
	hits=$(objdump -d --no-show-raw-insn "$obj" | awk -F'\t' 'NF >= 2 {
		split($2, w, " ")
		if (w[1] ~ /^(f|v|ldmxcsr|stmxcsr|emms|xsave|xrstor|fxsave|fxrstor)/ ||
		    $2 ~ /%([xyz]?mm[0-9]|st)/)
			print
	}')
	if [ -n "$hits" ]; then
		echo "$obj uses vector or x87 instructions:"
		echo "$hits" | head -5
		bad=1
	fi
done
[ $# -gt 0 ] || { echo "no objects given"; exit 1; }
exit $bad
