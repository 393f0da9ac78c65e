#!/usr/bin/env bash
# Prints the lines /init wrote ("VENEER-ROOT: ...") from a root console
# log, without carriage returns and without the kernel's timestamp: /init
# writes them through /dev/kmsg, so that they never share a console line
# with the kernel's own messages.
#
#   init-lines.sh ROOT_LOG
set -euo pipefail

tr -d '\r' <"${1:?usage: init-lines.sh ROOT_LOG}" |
	sed -n 's/^\(\[ *[0-9.]*\] \)\{0,1\}\(VENEER-ROOT: .*\)$/\2/p'
