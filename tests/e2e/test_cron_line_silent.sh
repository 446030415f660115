#!/bin/bash
# SPDX-License-Identifier: ISC
# The cron line of the README and of superd(8), run as cron would (sh -c,
# superd from PATH, the default config) on a clean host whose config
# matches what listens: it prints nothing and exits 0, so cron mails no one.
# The host's /etc is replaced, in this test's mount namespace only, by a
# copy holding the shipped superd.conf with its superd.d (README included,
# which the include skips) and one drop-in service.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
readme=$(sed -n 's/^ *\*\/10 \* \* \* \* root //p' "$ROOT/README.md")
man=$(sed -n 's/^\*\/10 \* \* \* \* root //p' "$ROOT/man/superd.8")
[ -n "$readme" ] || { fail "the README has a cron line"; finish; exit 1; }
expect_eq "README and superd(8) give the same cron line" "$readme" "$man"

mkdir -p "$T/etc" "$T/bin" "$T/prom"
cp -a /etc/. "$T/etc/" 2>/dev/null
rm -rf "$T/etc/superd.d" "$T/etc/superd.conf"
cp "$ROOT/etc/superd.conf" "$T/etc/superd.conf"
mkdir "$T/etc/superd.d"
cp "$ROOT/etc/superd.d/README" "$T/etc/superd.d/README"
cat >"$T/etc/superd.d/echo.conf" <<CONF
service echo {
	internal = yes
	protocol = tcp
	bind = "127.0.0.1"
	port = 7607
}
CONF
mount --bind "$T/etc" /etc || skip "cannot bind-mount a private /etc"
ln -s "$SUPERD" "$T/bin/superd"

start_superd /etc/superd.conf || exit 1
out=$(cd / && env -i PATH="$T/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
	F="$T/prom/superd.prom" sh -c "$readme" 2>&1)
rc=$?
expect_eq "the cron line prints nothing" "" "$out"
expect_eq "the cron line exits 0" 0 "$rc"
expect_match "it wrote the metrics" "^superd_selfcheck_status 0" \
	"$(cat "$T/prom/superd.prom")"
check "no temporary file is left" test ! -e "$T/prom/superd.prom.tmp"

# The same audit, run by hand, says why it is silent: the result is on
# stdout, the info lines of the config only with -v.
"$SUPERD" --selfcheck --no-probe >/dev/null 2>"$T/err"
expect_eq "--selfcheck prints nothing on stderr" "" "$(cat "$T/err")"
"$SUPERD" --selfcheck --no-probe -v >/dev/null 2>"$T/err"
expect_match "--selfcheck -v prints the config's info lines" \
	"include .*README: skipped" "$(cat "$T/err")"
finish
