# Sourced by the install and package tests: a list of files against a
# documented list of globs, both ways.
#
#   compare_with_globs FILES GLOBS    (the names of two arrays)
#
# prints "extra FILE" for each file that no glob matches and "missing GLOB"
# for each glob that matches no file.  A glob's * also matches '/'.
compare_with_globs() {
	local -n files_=$1 globs_=$2
	local f g ok
	for f in "${files_[@]}"; do
		ok=
		for g in "${globs_[@]}"; do [[ $f == $g ]] && ok=1 && break; done
		[ -n "$ok" ] || echo "extra $f"
	done
	for g in "${globs_[@]}"; do
		ok=
		for f in "${files_[@]}"; do [[ $f == $g ]] && ok=1 && break; done
		[ -n "$ok" ] || echo "missing $g"
	done
}
