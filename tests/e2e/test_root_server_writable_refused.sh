#!/bin/bash
# SPDX-License-Identifier: ISC
# StrictModes for servers: a root service whose program, or a directory
# above it, another user could change (owned by someone else, group- or
# world-writable) is refused at load with file:line; for a service of
# another user it is a warning and the config loads.  A sticky directory
# (/tmp) over a root-owned entry is safe, as is the path after symlinks.
. "$(dirname "$0")/lib.sh"

D=$T/bin
mkdir "$D"
cp /bin/true "$D/true"
# conf USER: a config whose service runs $D/true as USER.
conf() {
	printf 'service x {\n\tprotocol = tcp\n\tport = 7600\n\tbind = "127.0.0.1"\n\tuser = %s\n\tserver = "%s"\n}\n' \
		"$1" "$D/true" >"$T/x.conf"
}
# loads NAME: superd -t accepts the config; refused NAME REGEX: it does not.
loads() {
	out=$("$SUPERD" -t -c "$T/x.conf" 2>&1)
	expect_eq "$1" 0 $?
}
refused() {
	out=$("$SUPERD" -t -c "$T/x.conf" 2>&1)
	check "$1: refused" test $? -ne 0
	expect_match "$1: says why with file:line" "$2" "$out"
}

conf root
loads "a root service in root-owned 0755 directories loads"
chmod 0777 "$D"
refused "a world-writable directory above a root service's program" \
	"x\.conf:1: service x: server $D/true: $D is world-writable \(mode 0777\): a root service's program and every directory above it must be changeable by root only"
chmod 0775 "$D"
refused "a group-writable directory" "$D is group-writable \(mode 0775\)"
chmod 0755 "$D"
chown nobody "$D/true"
refused "a root service's program owned by another user" \
	"server $D/true: $D/true is owned by uid [0-9]+"
chown root "$D/true"
chmod 1777 "$D"
loads "a sticky directory over a root-owned program is safe"
ln -s "$D" "$T/link"
sed -i "s,$D/true,$T/link/true," "$T/x.conf"
loads "a symlinked path is checked where it leads"
chmod 0777 "$D"
refused "and refused there when unsafe" "$T/(link|bin) is world-writable"

conf nobody
out=$("$SUPERD" -t -c "$T/x.conf" 2>&1)
expect_eq "another user's service loads despite a writable directory" 0 $?
expect_match "but with a warning naming the directory" \
	"warning: .*x\.conf:1: service x: server $D/true: $D is world-writable \(mode 0777\): someone other than root and its user can change it" \
	"$out"
chmod 0755 "$D"
out=$("$SUPERD" -t -c "$T/x.conf" 2>&1)
check "and without one when safe" bash -c '! grep -q "can change it" <<<"$1"' - "$out"

# Services running one program alike are checked once, and each is still
# judged: every root service refused at its own file:line, every warning
# given at its own; the program's owner's service, alike but for the
# user, is judged for that user (it may change its own program).
chown nobody "$D/true"
{
	for p in 1 2 3; do echo "127.0.0.1:761$p stream tcp nowait root $D/true true"; done
	for p in 4 5; do echo "127.0.0.1:761$p stream tcp nowait daemon $D/true true"; done
	echo "127.0.0.1:7616 stream tcp nowait nobody $D/true true"
} >"$T/inetd.conf"
out=$("$SUPERD" -t --config-format inetd -c "$T/inetd.conf" 2>&1)
check "one program, several root services: refused" test $? -ne 0
for l in 1 2 3; do
	expect_match "the root service at line $l is refused at its line" \
		"inetd\.conf:$l: service [^ ]*: server $D/true: $D/true is owned by uid [0-9]+: a root service" "$out"
done
for l in 4 5; do
	expect_match "the daemon service at line $l is warned at its line" \
		"warning: .*inetd\.conf:$l: service [^ ]*: server $D/true: $D/true is owned by uid [0-9]+: someone other" "$out"
done
check "the owner's own service is neither refused nor warned" \
	bash -c '! grep -q "inetd\.conf:6:" <<<"$1"' - "$out"
chown root "$D/true"
finish
