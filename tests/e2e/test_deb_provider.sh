#!/bin/bash
# SPDX-License-Identifier: ISC
# The Debian package takes inetd's place: the .deb is built
# (dpkg-buildpackage), installed, and provides inet-superserver; a package
# that adds its service with update-inetd (fingerd) is installed with
# apt-get and its service answers without any manual reload;
# `update-inetd --disable` stops it.
# TIMEOUT: 900 (it builds the package: about 60 s alone, over 300 s when the
# machine is loaded)
#
# Nothing of this touches the machine: the test runs in its own mount and
# network namespaces, with overlays on /etc, /usr and /var whose changes
# (dpkg's database, the installed files, /etc/inetd.conf) vanish with it.
# fingerd (and finger, the client in.fingerd runs to answer) is fetched
# before, into a cache of the test's own: the test's network namespace
# reaches no registry.

if [ -z "${SUPERD_IN_NETNS:-}" ]; then
	for c in dpkg-buildpackage dh apt-get; do
		command -v "$c" >/dev/null 2>&1 || {
			echo "SKIP: $c is missing (make deps installs debhelper" \
			    "and dpkg-dev)"
			exit 77
		}
	done
	if dpkg -s fingerd >/dev/null 2>&1; then
		echo "SKIP: fingerd is installed on this machine already"
		exit 77
	fi
	SUPERD_DEB_CACHE=$(mktemp -d /tmp/superd-deb-cache.XXXXXX)
	chmod 755 "$SUPERD_DEB_CACHE"
	mkdir -p "$SUPERD_DEB_CACHE/partial"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --download-only --no-install-recommends \
	    -o Dir::Cache::archives="$SUPERD_DEB_CACHE" fingerd finger \
	    >"$SUPERD_DEB_CACHE/fetch.log" 2>&1; then
		echo "SKIP: cannot fetch fingerd from the package registry:"
		tail -3 "$SUPERD_DEB_CACHE/fetch.log"
		rm -rf "$SUPERD_DEB_CACHE"
		exit 77
	fi
	export SUPERD_DEB_CACHE
fi
. "$(dirname "$0")/lib.sh"
trap 'cleanup; rm -rf "$SUPERD_DEB_CACHE"' EXIT

SRC=$(cd "$(dirname "$0")/../.." && pwd)

# Build the package from a copy of the tree (dpkg-buildpackage writes the
# .deb next to the source directory).
mkdir -p "$T/src/superd"
(cd "$SRC" && tar --exclude='./build*' --exclude=./.git -cf - .) |
	tar -xf - -C "$T/src/superd"
if ! (cd "$T/src/superd" && DEB_BUILD_OPTIONS="nocheck parallel=2" \
    dpkg-buildpackage -us -uc -b >"$T/build.log" 2>&1); then
	fail "dpkg-buildpackage -us -uc -b builds the package"
	tail -20 "$T/build.log"
	finish
	exit 1
fi
pass "dpkg-buildpackage -us -uc -b builds the package"
DEB=$(ls "$T"/src/superd_*.deb)
expect_match "the package provides inet-superserver" \
	'inet-superserver' "$(dpkg-deb -f "$DEB" Provides)"
expect_match "and conflicts with the other providers" \
	'inet-superserver' "$(dpkg-deb -f "$DEB" Conflicts)"

# Overlays: what dpkg and apt change stays in this namespace.
for d in etc usr var; do
	mkdir -p "$T/ov/$d/up" "$T/ov/$d/work"
	mount -t overlay overlay -o "lowerdir=/$d,upperdir=$T/ov/$d/up,workdir=$T/ov/$d/work" "/$d" ||
		skip "cannot mount an overlay on /$d"
done
# No init script or unit may start a daemon here (and none does outside).
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d
rm -f /etc/inetd.conf

if ! DEBIAN_FRONTEND=noninteractive dpkg -i "$DEB" >"$T/dpkg.log" 2>&1; then
	fail "dpkg -i installs the package"
	tail -20 "$T/dpkg.log"
	finish
	exit 1
fi
pass "dpkg -i installs the package"
check "its postinst creates /etc/inetd.conf for update-inetd" \
	test -f /etc/inetd.conf
check "and the drop-in that serves it" \
	grep -q '^inetd_conf = "/etc/inetd.conf"' /etc/superd.d/superd-inetd.conf

# The installed daemon, with the installed configuration.
SUPERD=/usr/sbin/superd start_superd /etc/superd.conf || { finish; exit 1; }

if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends -o Dir::Cache::archives="$SUPERD_DEB_CACHE" \
    fingerd finger >"$T/apt.log" 2>&1; then
	fail "apt-get install fingerd, with superd as the inet-superserver"
	tail -20 "$T/apt.log"
	finish
	exit 1
fi
pass "apt-get install fingerd, with superd as the inet-superserver"
expect_match "update-inetd added finger to /etc/inetd.conf" \
	'^finger[[:space:]]' "$(grep '^finger' /etc/inetd.conf)"
check "superd reloads by itself" wait_log 'event=config-changed action=reload'
check "the reload takes finger" wait_log 'event=reload result=ok'
answer=
for i in $(seq 1 50); do
	answer=$(echo | nc -w2 127.0.0.1 79 2>/dev/null)
	[ -n "$answer" ] && break
	sleep 0.1
done
check "finger answers without a manual reload ($answer)" test -n "$answer"
[ -n "$answer" ] || grep -E 'finger|reload' "$LOG" | tail -20
expect_match "over IPv6 too (tcp is dual-stack)" '.' \
	"$(echo | nc -w2 ::1 79 2>/dev/null)"

n=$(grep -c 'event=reload result=ok' "$LOG")
update-inetd --disable finger >"$T/update.log" 2>&1
check "update-inetd --disable finger marks it #<off>#" \
	grep -q '^#<off># *finger' /etc/inetd.conf
for i in $(seq 1 100); do
	[ "$(grep -c 'event=reload result=ok' "$LOG")" -gt "$n" ] && break
	sleep 0.05
done
expect_eq "and superd stops serving it by itself" "" "$(ss -ltnH 'sport = :79')"
stop_superd
finish
