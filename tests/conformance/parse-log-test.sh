#!/usr/bin/env bash
# The runner's reading of a serial log, without QEMU:
#
#   parse-log-test.sh OUT_DIR
#
# Crafts logs from checks.def (so that they follow the list): every check
# passes; then one fails, one is unsupported and one never reports, with
# the lines prefixed as another implementation might and with CR LF.  The
# runner must count each right, name the missing check and exit 1 only for
# the second log.  Exits 0 if it does.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: parse-log-test.sh OUT_DIR}
runner=$here/veneer-conformance
mkdir -p "$out"
fail=0
check() { echo "FAIL: $*"; fail=1; }

mapfile -t guest < <(sed -n 's/^CHECK(\([A-Z]*\)_\([0-9]*\),.*/\1-\2/p' "$here/checks.def")
mapfile -t all < <(sed -n 's/^\(RUNNER_\)\{0,1\}CHECK(\([A-Z]*\)_\([0-9]*\),.*/\2-\3/p' "$here/checks.def")
[ ${#guest[@]} -ge 4 ] || { echo "FAIL: too few checks in checks.def"; exit 1; }

log() { # PREFIX [ID=RESULT...]: a log in which every other check passes
	local prefix=$1 id
	shift
	declare -A special=()
	for id in "$@"; do special[${id%%=*}]=${id#*=}; done
	echo "[hv] starting"
	printf '%sCONFORMANCE BEGIN %d checks\r\n' "$prefix" "${#guest[@]}"
	printf '%sCONFORMANCE FILTER a\tb???|\n' "$prefix"
	for id in "${guest[@]}"; do
		case ${special[$id]:-PASS} in
		MISSING) ;;
		*) printf '%sCONFORMANCE %s %s\r\n' "$prefix" "$id" "${special[$id]:-PASS}" ;;
		esac
	done
	printf '%sCONFORMANCE DONE\n' "$prefix"
	echo "[hv] partition 1 'conformance' stopped: exited with status 0"
	echo "[hv] summary: 0 partition(s) failed; hypervisor pool in use 0 KiB"
}

# 1. Everything passes: only LOG-005 (QEMU's status) is unsupported.
log '[conformance] ' >"$out/pass.log"
set +e
"$runner" --parse-log "$out/pass.log" >"$out/pass.out" 2>&1
status=$?
set -e
[ $status -eq 0 ] || check "all passing: exit status $status ($out/pass.out)"
want="$((${#all[@]} - 1)) passed, 0 failed, 1 unsupported"
grep -qxF "$want" "$out/pass.out" || check "all passing: no line '$want' ($out/pass.out)"
[ "$(grep -c '^CONFORMANCE ' "$out/pass.out")" -eq ${#all[@]} ] ||
	check "all passing: not one line per check"

# 2. One failure, one unsupported, one missing, another prefix.
f=${guest[0]} u=${guest[1]} m=${guest[2]}
log '[guest] ' "$f=FAIL got 1, expected 0" "$u=UNSUPPORTED no SynIC" "$m=MISSING" >"$out/mixed.log"
set +e
"$runner" --parse-log "$out/mixed.log" >"$out/mixed.out" 2>&1
status=$?
set -e
[ $status -eq 1 ] || check "mixed: exit status $status, expected 1 ($out/mixed.out)"
# LOG-001 and LOG-002 fail too: the partition is not '[guest]'.
want="$((${#all[@]} - 6)) passed, 4 failed, 2 unsupported"
grep -qxF "$want" "$out/mixed.out" || check "mixed: no line '$want' ($out/mixed.out)"
for line in "CONFORMANCE $f FAIL got 1, expected 0" "CONFORMANCE $u UNSUPPORTED no SynIC" \
	"CONFORMANCE $m FAIL not reported" "CONFORMANCE LOG-001 FAIL"; do
	grep -qF -- "$line" "$out/mixed.out" || check "mixed: no line '$line'"
done

# 3. An empty log: nothing reported, every check failed.
: >"$out/empty.log"
set +e
"$runner" --parse-log "$out/empty.log" >"$out/empty.out" 2>&1
status=$?
set -e
[ $status -eq 1 ] || check "empty log: exit status $status"
grep -qxF "0 passed, $((${#all[@]} - 1)) failed, 1 unsupported" "$out/empty.out" ||
	check "empty log: not every check failed ($out/empty.out)"

[ $fail -eq 0 ] && echo "PASS: the runner reads logs" && exit 0
exit 1
