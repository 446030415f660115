#!/bin/bash
# SPDX-License-Identifier: ISC
# Every configuration example of README.md and superd.conf(5) can be copied
# into a config as is: each one passes `superd -t`.  The include directory
# of the man page's example is replaced by an empty one of the test's, and
# servers this host may lack by /bin/true.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# The README's native example: the indented block from "defaults {".
sed -n '/^    defaults {/,/^$/p' "$ROOT/README.md" | sed 's/^    //' >"$T/readme.conf"
check "README has the native example" test -s "$T/readme.conf"
check "README's native example loads" quietly "$SUPERD" -t -c "$T/readme.conf"


# The README's inetd.conf example (the block from its "# [addr" header);
# the servers this host may lack (in.ftpd, in.tftpd) become /bin/true.
sed -n '/^    # \[addr/,/^$/p' "$ROOT/README.md" | sed 's/^    //' |
	sed 's,/usr/sbin/in\.[a-z]*,/bin/true,' >"$T/readme-inetd.conf"
check "README has the inetd.conf example" test -s "$T/readme-inetd.conf"
check "README's inetd.conf example loads" quietly "$SUPERD" -t -c "$T/readme-inetd.conf"
expect_match "with its services (not an empty table)" ": OK, [1-9][0-9]* endpoints" \
	"$("$SUPERD" -t -c "$T/readme-inetd.conf" | tail -1)"

# superd.conf(5): every literal display that holds a service block.
mkdir -p "$T/superd.d"
awk '/^\.Bd -literal/{n++; f=1; next} /^\.Ed/{f=0} f{print > (dir "/man" n ".conf")}' \
	dir="$T" "$ROOT/man/superd.conf.5"
for f in "$T"/man*.conf; do
	grep -q '^service ' "$f" || continue
	sed -i "s,/etc/superd.d,$T/superd.d," "$f"
	check "superd.conf(5) example $(basename "$f") loads" quietly "$SUPERD" -t -c "$f"
done
finish
