#!/bin/sh
# Runs one libFuzzer target for a bounded time.
#
#   run-fuzz.sh BINARY SEEDS REGRESSIONS WORK SECONDS ARTIFACTS [fresh]
#
# First runs every input of REGRESSIONS once (each must pass), then fuzzes
# for SECONDS with WORK as the corpus.  The seeds are copied into WORK, so
# the source corpus is never written.  "fresh" empties WORK first (ctest);
# without it WORK keeps what earlier campaigns found.  Crashing inputs are
# written to ARTIFACTS.
set -eu

bin=$1 seeds=$2 regressions=$3 work=$4 seconds=$5 artifacts=$6
mode=${7:-keep}

[ "$mode" = fresh ] && rm -rf "$work"
mkdir -p "$work" "$artifacts"
[ -d "$seeds" ] && cp -R "$seeds"/. "$work"/

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if [ -d "$regressions" ]; then
	set -- "$regressions"/*
	if [ -e "$1" ]; then
		echo "== regressions: $# input(s)"
		"$bin" -rss_limit_mb=2048 -timeout=20 "$@"
	fi
fi

echo "== fuzzing $(basename "$bin") for ${seconds}s"
exec "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 \
	-print_final_stats=1 -artifact_prefix="$artifacts/" "$work"
