#!/usr/bin/env bash
# The installed SDK as someone outside the tree meets it:
#
#   install-case.sh BUILD_DIR
#
# 1. `cmake --install` into a staging directory (DESTDIR, prefix /usr)
#    holds exactly the files (and links) docs/installing.md lists: each matches a
#    line of its manifest, each line matches a file, and the header
#    directories hold every header of the source tree and nothing else.
# 2. The example third-party guest (sdk/guest-freestanding/examples/
#    external) builds against the staged SDK with find_package(Veneer) and
#    with pkg-config, never seeing the source tree's headers.
# 3. The staged hv.efi boots both images in QEMU; each greets the console
#    with how it was built, and both exit 0.
# 4. The staged conformance runner (bin/veneer-conformance, a link into
#    the staged tree) passes every check against the staged hv.efi.
# Exits 0 if all hold, 1 otherwise.
set -uo pipefail
shopt -s extglob
. "$(dirname "$0")/../lib/globs.sh"

build=$(cd "${1:?usage: install-case.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
out=$build/install-test
stage=$out/stage
example=$src/sdk/guest-freestanding/examples/external
fail=0
check() { echo "FAIL: $*"; fail=1; }

rm -rf "$out" && mkdir -p "$out/guests"
DESTDIR=$stage cmake --install "$build" --prefix /usr >"$out/install.log" 2>&1 ||
	{ echo "FAIL: cmake --install ($out/install.log)"; exit 1; }

# The manifest: the lines of docs/installing.md's block after "manifest:".
mapfile -t globs < <(sed -n '/^<!-- manifest -->$/,/^<!-- end manifest -->$/p' \
	"$src/docs/installing.md" | sed -n 's|^ *\(/usr/[^ ]*\).*|\1|p')
[ ${#globs[@]} -gt 0 ] || check "no manifest in docs/installing.md"
# Symbolic links count as files: bin/veneer-conformance is one.
mapfile -t files < <(cd "$stage" && find . \( -type f -o -type l \) | sed 's|^\.||' | sort)
while read -r kind path; do
	case $kind in
	extra) check "installed but not documented: $path" ;;
	missing) check "documented but not installed: $path" ;;
	esac
done < <(compare_with_globs files globs)
# Header directories: the source tree's headers, each one, no other.
same_headers() { # INSTALLED_DIR SOURCE_DIR...
	local dir=$stage$1
	shift
	diff <(cd "$dir" && find . -type f | sort) \
		<(for s in "$@"; do (cd "$s" && find . -type f \( -name '*.h' -o -name '*.def' -o -name '*.inc' \)); done | sort) \
		>/dev/null || check "$dir does not hold exactly the headers of $*"
}
same_headers /usr/include/veneer "$src/sdk/include/veneer"
same_headers /usr/include/veneer-guest/vnr_guest "$src/sdk/guest-freestanding/include/vnr_guest"
same_headers /usr/include/veneer-guest/libvnr "$src/sdk/libvnr/include/libvnr"
same_headers /usr/src/veneer-0.1/include/veneer "$src/sdk/include/veneer"

# The example, both ways, against the staged SDK only.
if cmake -S "$example" -B "$out/cmake" -DCMAKE_PREFIX_PATH="$stage/usr" \
	-DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
	>"$out/cmake.log" 2>&1 && cmake --build "$out/cmake" >>"$out/cmake.log" 2>&1; then
	cp "$out/cmake/greeter.elf" "$out/guests/greeter_cmake.elf"
else
	check "find_package(Veneer) build ($out/cmake.log)"
fi
# Every include directory a build used lies in the staged install.
outside_stage() {
	grep -oE -- '(-I|-isystem )[^ "]+' "$1" | sed -E 's/^(-I|-isystem )//' |
		grep -v "^$stage/"
}
[ -f "$out/cmake/compile_commands.json" ] &&
	outside_stage "$out/cmake/compile_commands.json" &&
	check "the CMake build included from outside the staged install"
mkdir -p "$out/pkgconfig"
if PKG_CONFIG_PATH=$stage/usr/lib/pkgconfig make -C "$out/pkgconfig" \
	-f "$example/Makefile" VPATH="$example" \
	PKG_CONFIG="pkg-config --define-variable=prefix=$stage/usr" \
	>"$out/pkgconfig.log" 2>&1; then
	cp "$out/pkgconfig/greeter.elf" "$out/guests/greeter_pc.elf"
else
	check "pkg-config build ($out/pkgconfig.log)"
fi
outside_stage "$out/pkgconfig.log" &&
	check "the pkg-config build included from outside the staged install"

cat >"$out/veneer.cfg" <<'CFG'
[hypervisor]
debug_exit_port = 0xf4

[partition cmake]
image = \EFI\veneer\greeter_cmake.elf
memory = 16M
privileges = debug_console

[partition pc]
image = \EFI\veneer\greeter_pc.elf
memory = 16M
privileges = debug_console
CFG
if [ $fail -eq 0 ]; then
	"$src/tests/integration/qemu-run.sh" --hv "$stage/usr/lib/veneer/hv.efi" \
		--config "$out/veneer.cfg" --guests "$out/guests" --out "$out/qemu" \
		--timeout 120 >/dev/null 2>&1
	status=$?
	log=$out/qemu/serial.log
	[ "$status" = 1 ] || check "QEMU exit status $status, expected 1 (no failure)"
	for want in "greeter: partition 'cmake' built with find_package\(Veneer\)" \
		"greeter: partition 'pc' built with pkg-config" \
		"partition [0-9]+ 'cmake' stopped: exited with status 0" \
		"partition [0-9]+ 'pc' stopped: exited with status 0"; do
		tr -d '\r' <"$log" | grep -qE -- "$want" || check "no line matches /$want/ in $log"
	done
fi
if [ $fail -eq 0 ]; then
	"$stage/usr/bin/veneer-conformance" --hv "$stage/usr/lib/veneer/hv.efi" \
		--out "$out/conformance" >"$out/conformance.out" 2>&1 ||
		check "the staged veneer-conformance failed: $(tail -n 3 "$out/conformance.out")"
	grep -qE '^[0-9]+ passed, 0 failed, [0-9]+ unsupported$' "$out/conformance.out" ||
		check "no summary line in $out/conformance.out"
fi
[ $fail -eq 0 ] && echo "PASS: install" && exit 0
exit 1
