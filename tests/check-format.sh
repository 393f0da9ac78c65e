#!/usr/bin/env bash
# Fails, naming the files, when a C file is not formatted by .clang-format.
set -uo pipefail
clang_format=$1
mapfile -t files < <(git ls-files -- '*.c' '*.h' ':!sdk/guest-linux/*' 2>/dev/null)
[ ${#files[@]} -gt 0 ] ||
	mapfile -t files < <(find hv sdk synthetic-devices tests tools -name '*.[ch]' \
		-not -path 'sdk/guest-linux/*')
bad=$("$clang_format" --dry-run --Werror "${files[@]}" 2>&1 |
	sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error.*/\1/p' | sort -u)
[ -z "$bad" ] && exit 0
sed "s|^|not formatted (run $clang_format -i): |" <<<"$bad"
exit 1
