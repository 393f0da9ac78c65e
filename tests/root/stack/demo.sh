# ./veneer demo, part 4 (veneer_stack=demo), sourced by run.sh: an
# operator's session with veneerctl in the Debian root, each command and
# what it printed on the root's console.
cd /stack || fail "no /stack"

# run COMMAND...: "# COMMAND" and its output, a line each.
run() {
	say "# $*"
	"$@" >/tmp/demo.out 2>&1
	while IFS= read -r line; do say "$line"; done </tmp/demo.out
}

run veneerctl info
run cat hello.cfg
run veneerctl create hello.cfg
run veneerctl create counter.cfg
run veneerctl create timekeeper.cfg
run veneerctl list
sleep 1
run veneerctl top -b -n 1 -d 0.5
run veneerctl console timekeeper
run veneerctl console hello
run veneerctl list
run veneerctl destroy hello counter timekeeper
run veneerctl list
run veneerctl info
