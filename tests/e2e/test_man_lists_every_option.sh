#!/bin/bash
# SPDX-License-Identifier: ISC
# Every option that `superd --help` names is in superd(8): in the SYNOPSIS
# (its long form, or its short letter), and described in the page.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MAN=$ROOT/man/superd.8
syn=$(sed -n '/^\.Sh SYNOPSIS/,/^\.Sh DESCRIPTION/p' "$MAN")
help=$("$SUPERD" --help)
longs=$(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u)
[ -n "$longs" ] || { fail "--help names long options"; finish; exit 1; }
for o in $longs; do
	name=${o#--}
	# Its short letter, when --help gives one as "-x, --name".
	short=$(printf '%s\n' "$help" | sed -n "s/^ *-\([a-zA-Z]\), --$name\b.*/\1/p" | head -1)
	if printf '%s\n' "$syn" | grep -q -- "Fl -$name\b"; then
		pass "SYNOPSIS lists $o"
	elif [ -n "$short" ] && printf '%s\n' "$syn" | grep -Eq "Fl ([a-zA-Z]* )?[a-zA-Z]*$short"; then
		pass "SYNOPSIS lists $o as -$short"
	else
		fail "SYNOPSIS of superd(8) lacks $o"
	fi
	check "superd(8) describes $o" grep -q -- "Fl -$name\b" "$MAN"
done
finish
