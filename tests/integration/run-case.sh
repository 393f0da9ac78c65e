#!/usr/bin/env bash
# Runs one integration case: boots the case's configuration in QEMU and
# checks the serial log against the case's expectations.
#
#   run-case.sh BUILD_DIR CASE.cfg
#
# A case is a veneer.cfg whose comments carry the expectations:
#   #@ expect REGEX        a line matching REGEX appears (grep -E)
#   #@ expect-count N REGEX  exactly N lines match
#   #@ reject REGEX        no line matches
#   #@ order REGEX         lines matching the order patterns appear in order
#   #@ status N            QEMU's exit status (default 1: no failures)
#   #@ timeout SECONDS     (default 120)
#   #@ cpu MODEL           QEMU CPU model (default max)
#   #@ icount              run under -icount shift=0: guest time counts
#                          emulated instructions, so a case that checks
#                          deadlines measures the hypervisor, not how
#                          busy the machine running QEMU is
#   #@ no-exit             hv.efi returns to the firmware: stop QEMU once
#                          every expect line has appeared
set -uo pipefail

build=$1 case=$2
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$case" .cfg)
out=$build/tests/integration/out/$name
rm -rf "$out" && mkdir -p "$out/guests"

want_status=1 timeout=120 cpu=max no_exit= icount=()
mapfile -t directives < <(sed -n 's/^#@ *//p' "$case")
for d in "${directives[@]}"; do
	case "$d" in
	status\ *) want_status=${d#status } ;;
	timeout\ *) timeout=${d#timeout } ;;
	cpu\ *) cpu=${d#cpu } ;;
	no-exit) no_exit=1 ;;
	icount) icount=(--icount) ;;
	esac
done

# Every image, kernel and initrd the configuration names, from the build
# tree: guests, and the Linux child kit (tests/linux/child-kit.sh).
for image in $(sed -n -E 's/^[[:space:]]*(image|kernel|initrd)[[:space:]]*=[[:space:]]*//p' "$case" | sed 's/[[:space:]]*#.*//'); do
	file=$(basename "${image//\\//}")
	[ -e "$out/guests/$file" ] && continue
	# The kit first: copies of its files elsewhere in the tree (a demo's,
	# another case's) may be older.
	found=$(find "$build/linux-kit" -maxdepth 1 -name "$file" -print \
		-quit 2>/dev/null)
	[ -n "$found" ] || found=$(find "$build" \( \
		-path "$build/tests/integration/out" -o -path "$build/package" \
		-o -path "$build/demo" \) -prune -o \
		-name "$file" -path '*guest*' -print -quit)
	[ -n "$found" ] && cp "$found" "$out/guests/"
done
# A case may ship broken images of its own (case directory NAME.images/).
[ -d "${case%.cfg}.images" ] && cp "${case%.cfg}.images"/* "$out/guests/"

log=$out/serial.log
if [ -n "$no_exit" ]; then
	"$here/qemu-run.sh" --hv "$build/hv/hv.efi" --config "$case" \
		--guests "$out/guests" --out "$out" --cpu "$cpu" \
		"${icount[@]}" --timeout "$timeout" &
	pid=$!
	for _ in $(seq 1 $((timeout * 2))); do
		sleep 0.5
		all=1
		for d in "${directives[@]}"; do
			case "$d" in expect\ *)
				grep -qE -- "${d#expect }" "$log" 2>/dev/null || all=
			esac
		done
		[ -n "$all" ] && break
		kill -0 $pid 2>/dev/null || break
	done
	pkill -f -- "$out/esp.img" 2>/dev/null
	wait $pid 2>/dev/null
	status=$want_status
else
	"$here/qemu-run.sh" --hv "$build/hv/hv.efi" --config "$case" \
		--guests "$out/guests" --out "$out" --cpu "$cpu" \
		"${icount[@]}" --timeout "$timeout"
	status=$?
fi

fail=0
check() { echo "FAIL: $*"; fail=1; }
# Firmware output carries escape sequences and CRs; compare plain text.
sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\r//g' "$log" > "$out/plain.log" 2>/dev/null
plain=$out/plain.log
[ "$status" = "$want_status" ] || check "QEMU exit status $status, expected $want_status"
last=0
for d in "${directives[@]}"; do
	case "$d" in
	expect-count\ *)
		rest=${d#expect-count }; n=${rest%% *}; re=${rest#* }
		got=$(grep -cE -- "$re" "$plain")
		[ "$got" = "$n" ] || check "$got lines match /$re/, expected $n" ;;
	expect\ *)
		grep -qE -- "${d#expect }" "$plain" || check "no line matches /${d#expect }/" ;;
	reject\ *)
		! grep -qE -- "${d#reject }" "$plain" || check "a line matches /${d#reject }/: $(grep -m1 -E -- "${d#reject }" "$plain")" ;;
	order\ *)
		n=$(grep -nE -- "${d#order }" "$plain" | awk -F: -v l=$last '$1 > l {print $1; exit}')
		if [ -z "$n" ]; then check "/${d#order }/ does not appear after line $last"; else last=$n; fi ;;
	esac
done
if [ $fail -ne 0 ]; then
	echo "---- serial log ($log) ----"
	tail -n 80 "$plain"
	exit 1
fi
echo "PASS: $name"
