#!/bin/bash
# SPDX-License-Identifier: ISC
# Service names of inetd.conf (/etc/services, through nsswitch.conf) are
# looked up at load in a short-lived child, as users, groups and host
# names are: the daemon itself (traced with strace, children not
# followed) never opens /etc/services, at start or at a reload, and the
# names still give their ports (here from a services file of this mount
# namespace only).  The daemon once called getservbyname itself, so an
# NSS module nsswitch.conf names for services stayed in it for good.
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || skip "strace is not installed"

printf 'superd-one\t7391/tcp\nsuperd-two\t7392/tcp\nsuperd-two\t7392/udp\n' \
	>"$T/services"
mount --bind "$T/services" /etc/services || skip "cannot bind-mount /etc/services"

printf 'superd-one stream tcp nowait nobody /bin/echo echo one\n' >"$T/inetd.conf"
start_superd "$T/inetd.conf" || exit 1
expect_eq "a name from /etc/services gives its port" one \
	"$(nc -w3 127.0.0.1 7391 </dev/null)"

: >"$T/strace.out"
strace -qq -p "$SUPERD_PID" -e trace=%file -o "$T/strace.out" 2>"$T/strace.err" &
STRACE=$!
for i in $(seq 1 100); do
	grep -q '^TracerPid:[[:space:]]*[1-9]' /proc/"$SUPERD_PID"/status && break
	sleep 0.05
done
grep -q '^TracerPid:[[:space:]]*[1-9]' /proc/"$SUPERD_PID"/status ||
	skip "strace cannot trace the daemon here: $(head -c 200 "$T/strace.err")"

printf 'superd-one stream tcp nowait nobody /bin/echo echo one\nsuperd-two stream tcp nowait nobody /bin/echo echo two\n' >"$T/inetd.conf"
kill -HUP "$SUPERD_PID"
check "the reload is done" wait_log 'event=reload result=ok'
expect_eq "a name added by the reload gives its port" two \
	"$(nc -w3 127.0.0.1 7392 </dev/null)"
kill "$STRACE"
wait "$STRACE" 2>/dev/null
check "the trace saw the reload read the config" grep -q 'inetd.conf' "$T/strace.out"
check "the daemon itself never opened /etc/services" \
	bash -c '! grep -q /etc/services "$1"' _ "$T/strace.out"
finish
