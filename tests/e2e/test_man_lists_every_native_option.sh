#!/bin/bash
# SPDX-License-Identifier: ISC
# Every option of the native format, as src/conf_options.h declares it
# (the one table the parser, the checks, --list --json and --convert use),
# has its own item in superd.conf(5); and the parser knows each of them.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MAN=$ROOT/man/superd.conf.5
TABLE=$ROOT/src/conf_options.h
top=$(sed -n 's/^CONF_OPTION("\([a-z0-9_]*\)", [A-Z_]*, TOP,.*/\1/p' "$TABLE")
svc=$(sed -n 's/^CONF_OPTION("\([a-z0-9_]*\)", [A-Z_]*, SVC,.*/\1/p' "$TABLE")
[ "$(echo "$top" | wc -w)" -ge 5 ] && [ "$(echo "$svc" | wc -w)" -ge 40 ] ||
	{ fail "conf_options.h reads as a table of options"; finish; exit 1; }
for n in $top $svc; do
	check "superd.conf(5) has an item for $n" \
		grep -Eq "^\.It Ic (.*[ ,])?$n( |,|$)" "$MAN"
done
# knows WHERE NAME OUTPUT: the parser took NAME (it rejected the value
# "x", or nothing, but did not call the name unknown).
knows() {
	if printf '%s' "$3" | grep -q "no such option"; then
		fail "the parser knows $1 $2: $3"
	else
		pass "the parser knows $1 $2"
	fi
}
for n in $top; do
	printf '%s = "x"\n' "$n" > "$T/top.conf"
	knows top-level "$n" "$("$SUPERD" -t --config-format native \
		-c "$T/top.conf" 2>&1)"
done
for n in $svc; do
	printf 'service x {\n\t%s = "x"\n}\n' "$n" > "$T/svc.conf"
	knows service "$n" "$("$SUPERD" -t --config-format native \
		-c "$T/svc.conf" 2>&1)"
done
# The check is real: an unknown name is refused as such.
printf 'service x {\n\tno_such_option_here = "x"\n}\n' > "$T/svc.conf"
expect_match "an unknown option is refused by name" "no such option" \
	"$("$SUPERD" -t --config-format native -c "$T/svc.conf" 2>&1)"
finish
