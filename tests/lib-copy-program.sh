# copy_program ROOT PROGRAM[:NAME]...: copies each dynamically linked
# PROGRAM of this machine into ROOT/bin (as NAME if given) with the shared
# libraries it needs, at the paths the dynamic loader looks in, so that
# an initramfs runs Debian's own tools (e2fsprogs) unchanged.  Sourced by
# the kit scripts.
copy_program() {
	local root=$1 spec prog name lib
	shift
	mkdir -p "$root/bin"
	for spec in "$@"; do
		prog=${spec%%:*} name=${spec#*:}
		[ "$name" = "$spec" ] && name=$(basename "$prog")
		rm -f "$root/bin/$name"
		cp "$prog" "$root/bin/$name"
		for lib in $(ldd "$prog" | grep -oE '/[^ ]+'); do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	done
}
