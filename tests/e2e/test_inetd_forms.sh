#!/bin/bash
# SPDX-License-Identifier: ISC
# inetd.conf forms of Debian and the BSDs, served and connected to:
# Debian's dual-stack tcp/udp (IPv4 and IPv6), tcp4/tcp6, continuation
# lines, address lists (on a line and as the default), host names resolved
# at load time (an /etc/hosts of the test's own mount namespace), socket
# buffers after the protocol; and the audit's declared set for them.
. "$(dirname "$0")/lib.sh"

# Host names come from a hosts file of this namespace only, never DNS.
printf '127.0.0.9 superd-forms\n::1 superd-forms\n127.0.0.1 localhost\n' \
	>"$T/hosts"
printf 'hosts: files\n' >"$T/nsswitch.conf"
mount --bind "$T/hosts" /etc/hosts || skip "cannot bind-mount /etc/hosts"
mount --bind "$T/nsswitch.conf" /etc/nsswitch.conf ||
	skip "cannot bind-mount /etc/nsswitch.conf"

cat >"$T/inetd.conf" <<CONF
# Debian: plain tcp and udp are IPv4 and IPv6
7301	stream	tcp	nowait	nobody	/bin/cat	cat
daytime	dgram	udp	wait	root	internal
7302	stream	tcp4	nowait	nobody	/bin/cat	cat
7303	stream	tcp6	nowait	nobody	/bin/cat	cat
# a continued entry (BSD, busybox, Debian)
7304	stream	tcp
	nowait	nobody
	/bin/cat cat
127.0.0.1,127.0.0.2:7305 stream tcp nowait nobody /bin/cat cat
127.0.0.4,[::1]:
7306	stream	tcp	nowait	nobody	/bin/cat	cat
*:
superd-forms:7307 stream tcp nowait nobody /bin/cat cat
7308	stream	tcp4,sndbuf=64k,rcvbuf=128k	nowait	nobody	/bin/cat	cat
# NetBSD: an included directory, accept-max and wait:max
.include "inetd.d/*.conf"
CONF
mkdir "$T/inetd.d"
printf '127.0.0.1:7310 stream,4 tcp nowait:40 nobody /bin/cat cat\n' \
	>"$T/inetd.d/a.conf"

out=$("$SUPERD" -t -c "$T/inetd.conf" 2>&1)
expect_eq "the forms load" "0" "$?"

# ask PROTO HOST PORT: what a line sent there comes back as.
ask() {
	local host=$2
	case $host in *:*) host="[$host]" ;; esac
	if [ "$1" = udp ]; then
		echo x | socat -t1 - "UDP:$host:$3" 2>/dev/null
	else
		echo "$3" | socat -t2 - "TCP:$host:$3" 2>/dev/null
	fi
}

start_superd "$T/inetd.conf" || exit 1
expect_eq "tcp serves IPv4" 7301 "$(ask tcp 127.0.0.1 7301)"
expect_eq "tcp serves IPv6" 7301 "$(ask tcp ::1 7301)"
expect_match "ss: tcp is an IPv4 socket" '0\.0\.0\.0:7301 ' "$(ss -ltnH)"
expect_match "ss: and a v6-only IPv6 socket ([::])" '\[::\]:7301 ' "$(ss -ltnH)"
expect_match "udp daytime answers IPv4" '[0-9]{2}:[0-9]{2}' \
	"$(ask udp 127.0.0.1 13)"
expect_match "udp daytime answers IPv6" '[0-9]{2}:[0-9]{2}' \
	"$(ask udp ::1 13)"
expect_eq "tcp4 serves IPv4" 7302 "$(ask tcp 127.0.0.1 7302)"
expect_eq "tcp4 does not listen on IPv6" "" "$(ask tcp ::1 7302)"
expect_eq "tcp6 serves IPv6" 7303 "$(ask tcp ::1 7303)"
expect_eq "tcp6 does not take IPv4" "" "$(ask tcp 127.0.0.1 7303)"
expect_eq "a continued entry serves (IPv4)" 7304 "$(ask tcp 127.0.0.1 7304)"
expect_eq "a continued entry serves (IPv6)" 7304 "$(ask tcp ::1 7304)"
expect_eq "no service from the continuation lines" "" \
	"$(ss -ltnH | grep -v ':73[0-9][0-9] ')"
expect_eq "address list: first address" 7305 "$(ask tcp 127.0.0.1 7305)"
expect_eq "address list: second address" 7305 "$(ask tcp 127.0.0.2 7305)"
expect_eq "address list: no other address" "" "$(ask tcp 127.0.0.3 7305)"
expect_eq "default address list: IPv4" 7306 "$(ask tcp 127.0.0.4 7306)"
expect_eq "default address list: IPv6" 7306 "$(ask tcp ::1 7306)"
expect_eq "default address list: nothing else" "" \
	"$(ask tcp 127.0.0.1 7306)"
expect_eq "host name: its IPv4 address" 7307 "$(ask tcp 127.0.0.9 7307)"
expect_eq "host name: its IPv6 address" 7307 "$(ask tcp ::1 7307)"
expect_eq "host name: nothing else" "" "$(ask tcp 127.0.0.1 7307)"
expect_eq "*: resets the default: a line after it takes any address" 7308 \
	"$(ask tcp 127.0.0.3 7308)"
expect_eq "a service of an .include'd file serves" 7310 \
	"$(ask tcp 127.0.0.1 7310)"
expect_eq "tcp4 with socket buffers serves" 7308 "$(ask tcp 127.0.0.1 7308)"
# The kernel doubles SO_SNDBUF and SO_RCVBUF for its bookkeeping.
mem=$(ss -ltnmH 'sport = :7308')
expect_match "rcvbuf=128k reaches the listener" 'rb262144' "$mem"
expect_match "sndbuf=64k reaches the listener" 'tb131072' "$mem"

list=$("$SUPERD" -c "$T/inetd.conf" --list)
expect_match "--list shows the socket buffers" \
	'0\.0\.0\.0:7308 +tcp .* sndbuf=65536 rcvbuf=131072' "$(echo "$list" | grep ':7308')"
json=$("$SUPERD" -c "$T/inetd.conf" --list --json)
expect_eq "--list --json: a plain tcp line is two sockets" \
	'0.0.0.0:7301 tcp 2 [::]:7301 tcp6 2' \
	"$(echo "$json" | jq -r '[.[] | select(.endpoint | endswith(":7301")) | .endpoint, .protocol, .line] | join(" ")')"
expect_eq "--list --json: sndbuf and rcvbuf" "65536 131072" \
	"$(echo "$json" | jq -r '.[] | select(.endpoint == "0.0.0.0:7308") | "\(.sndbuf) \(.rcvbuf)"')"

# The audit declares both sockets of a dual-stack line: none is a stray.
report=$("$SUPERD" -c "$T/inetd.conf" --selfcheck --json --proto tcp 2>/dev/null)
expect_eq "selfcheck: no stray (exposed, local-only) and nothing missing" \
	"0 0 0" "$(echo "$report" | jq -r '.summary | "\(.exposed) \(.["local-only"]) \(.missing)"')"
expect_eq "selfcheck: the IPv6 socket of a plain tcp line is declared" ok \
	"$(echo "$report" | jq -r '.findings[] | select(.id | startswith("tcp/::1/7301/")) | .kind')"
# Declared without IPv6, the IPv6 sockets superd serves are strays.
grep -v '^7301' "$T/inetd.conf" | sed 's/^7301.*//' >"$T/v4.conf"
printf '7301\tstream\ttcp4\tnowait\tnobody\t/bin/cat\tcat\n' >>"$T/v4.conf"
report=$("$SUPERD" -c "$T/v4.conf" --selfcheck --json --proto tcp 2>/dev/null)
expect_eq "selfcheck: declared tcp4, the IPv6 socket is a stray" local-only \
	"$(echo "$report" | jq -r '.findings[] | select(.id | startswith("tcp/::/7301/")) | .kind')"
stop_superd

# Forms Linux lacks fail the file, named at file:line.
printf 'echo stream tcp4 nowait root internal\n#@ ipsec esp/transport//require\n' \
	>"$T/ipsec.conf"
out=$("$SUPERD" -t -c "$T/ipsec.conf" 2>&1)
expect_eq "an IPsec policy line fails the check" 1 "$?"
expect_match "and names file:line and IPsec" 'ipsec\.conf:2: .*IPsec' "$out"

# A host name that does not resolve: an error with file:line.
printf 'echo stream tcp4 nowait root internal\nno-such-host.invalid:7309 stream tcp nowait nobody /bin/cat cat\n' \
	>"$T/bad.conf"
out=$("$SUPERD" -t -c "$T/bad.conf" 2>&1)
expect_eq "an unresolvable host name fails the check" 1 "$?"
expect_match "and names file:line and the host" \
	"bad\.conf:2: address \"no-such-host\.invalid\": host name not resolved" "$out"
finish
