#!/usr/bin/env bash
# The Debian packages (docs/installing.md, "Debian packages"):
#
#   package-case.sh BUILD_DIR [--no-boot]
#
# 1. The tree's files (as git knows them) are built into packages with
#    dpkg-buildpackage -us -uc -b, in BUILD_DIR/package.
# 2. Each package holds exactly what docs/installing.md's package list gives
#    it (besides its /usr/share/doc and lintian overrides), and every line
#    of the list matches a file; the changelog's version is the project's.
# 3. lintian reports no error.
# 4. The packaged veneer-install-esp, against a FAT image made with mtools:
#    --dry-run names each file and the efibootmgr command and changes
#    nothing; a configuration naming a missing image is refused; a real run
#    with --removable puts the files there, and (without --no-boot) the
#    packaged hv.efi boots from that image in QEMU and runs its partition.
# ./veneer package runs steps 1-3 (with --no-boot).  Exits 0 if all hold.
set -uo pipefail
. "$(dirname "$0")/../lib/globs.sh"

build=$(cd "${1:?usage: package-case.sh BUILD_DIR [--no-boot]}" && pwd)
boot=1
[ "${2:-}" = --no-boot ] && boot=
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
out=$build/package
fail=0
check() { echo "FAIL: $*"; fail=1; }

version=$(sed -n 's/^project(Veneer VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
changelog=$(sed -n '1s/^veneer (\([^)]*\)).*/\1/p' "$src/debian/changelog")
[ "$changelog" = "$version" ] ||
	check "debian/changelog is version '$changelog', the project '$version'"

rm -rf "$out" && mkdir -p "$out/veneer-$version"
(cd "$src" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 cp -d --parents -t "$out/veneer-$version") ||
	{ echo "FAIL: cannot copy the tree"; exit 1; }
if ! (cd "$out/veneer-$version" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
	echo "FAIL: dpkg-buildpackage ($out/build.log)"
	tail -n 30 "$out/build.log"
	exit 1
fi

# The package list: "PACKAGE GLOB" lines of docs/installing.md.
mapfile -t lines < <(sed -n '/^<!-- packages -->$/,/^<!-- end packages -->$/p' \
	"$src/docs/installing.md" | sed -n 's|^ *\([a-z0-9-]*\) *\(/usr/[^ ]*\).*|\1 \2|p')
[ ${#lines[@]} -gt 0 ] || check "no package list in docs/installing.md"
mapfile -t packages < <(printf '%s\n' "${lines[@]}" | awk '{print $1}' | sort -u)
for p in "${packages[@]}"; do
	deb=$(echo "$out"/${p}_"$version"_*.deb)
	[ -f "$deb" ] || { check "no package $p"; continue; }
	mapfile -t globs < <(printf '%s\n' "${lines[@]}" | awk -v p="$p" '$1 == p {print $2}')
	mapfile -t files < <(dpkg-deb --contents "$deb" | awk '$1 !~ /^d/ {print $6}' |
		sed 's|^\.||' | grep -v -e "^/usr/share/doc/$p/" -e "^/usr/share/lintian/overrides/$p$")
	while read -r kind path; do
		case $kind in
		extra) check "$p holds $path, which the list does not give it" ;;
		missing) check "$p lacks $path" ;;
		esac
	done < <(compare_with_globs files globs)
done
for deb in "$out"/*.deb; do
	name=$(dpkg-deb -f "$deb" Package)
	case " ${packages[*]} $(printf '%s-dbgsym ' "${packages[@]}")" in
	*" $name "*) ;;
	*) check "a package the list does not name: $name" ;;
	esac
done

lintian --tag-display-limit 0 "$out"/*.changes >"$out/lintian.log" 2>&1
grep '^E:' "$out/lintian.log" && check "lintian reports errors ($out/lintian.log)"

# veneer-install-esp, as packaged, against an ESP image.
root=$out/unpacked
dpkg-deb -x "$out"/veneer-hypervisor_"$version"_amd64.deb "$root"
tool=$root/usr/sbin/veneer-install-esp
hv=$root/usr/lib/veneer/hv.efi
guest=$(find "$build/tests/guests" -name t_hello.elf -print -quit)
[ -n "$guest" ] || check "no t_hello.elf in $build/tests/guests"
esp=$out/esp.img
rm -f "$esp" && truncate -s 64M "$esp" && mformat -i "$esp" -F -v ESP ::
cat >"$out/veneer.cfg" <<'CFG'
[hypervisor]
debug_exit_port = 0xf4

[partition t_hello]
image = \EFI\veneer\t_hello.elf
memory = 16M
privileges = debug_console
CFG
"$tool" --dry-run --hv "$hv" --config "$out/veneer.cfg" --disk /dev/sda --part 1 \
	"$esp" "$guest" >"$out/dry-run.txt" 2>&1 || check "--dry-run failed ($out/dry-run.txt)"
for want in "::/EFI/veneer/hv.efi" "::/EFI/veneer/veneer.cfg" "::/EFI/veneer/t_hello.elf" \
	'efibootmgr --create --disk /dev/sda --part 1 --label Veneer --loader \\EFI\\veneer\\hv.efi'; do
	grep -qF -- "$want" "$out/dry-run.txt" || check "--dry-run does not show $want"
done
[ -z "$(mdir -i "$esp" -b :: 2>/dev/null)" ] || check "--dry-run changed the image"
"$tool" --removable --hv "$hv" --config "$out/veneer.cfg" "$esp" >"$out/missing.txt" 2>&1 &&
	check "a configuration naming a missing image was installed"
grep -q "names \\\\EFI\\\\veneer\\\\t_hello.elf" "$out/missing.txt" ||
	check "the refusal does not name the missing image ($out/missing.txt)"
"$tool" --removable --hv "$hv" --config "$out/veneer.cfg" "$esp" "$guest" \
	>"$out/install.txt" 2>&1 || check "install into the image failed ($out/install.txt)"
for f in /EFI/veneer/hv.efi /EFI/veneer/veneer.cfg /EFI/veneer/t_hello.elf /EFI/BOOT/BOOTX64.EFI; do
	mdir -i "$esp" "::$f" >/dev/null 2>&1 || check "$f is not in the image"
done
if [ -n "$boot" ] && [ $fail -eq 0 ]; then
	"$src/tests/integration/qemu-run.sh" --esp "$esp" --out "$out/qemu" --timeout 120 \
		>/dev/null 2>&1
	status=$?
	[ "$status" = 1 ] || check "QEMU exit status $status, expected 1 (no failure)"
	tr -d '\r' <"$out/qemu/serial.log" | grep -qE "partition [0-9]+ 't_hello' stopped: exited with status 0" ||
		check "t_hello did not run from the installed image ($out/qemu/serial.log)"
fi
[ $fail -eq 0 ] && echo "PASS: packages ($(cd "$out" && ls ./*.deb | tr '\n' ' '))" && exit 0
exit 1
