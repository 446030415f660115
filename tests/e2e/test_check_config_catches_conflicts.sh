#!/bin/bash
# SPDX-License-Identifier: ISC
# -t catches what start would refuse.  Endpoint conflicts inside the config
# are errors naming both file:line (the same endpoint twice, tcp and tcp46
# wildcards on one port, a wildcard and an address under it), reported with
# every other error of the file in one run; ports held by a process that is
# not superd are warned about, naming its pid and command, and -t binds
# nothing.
. "$(dirname "$0")/lib.sh"

cat >"$T/conflicts.conf" <<CONF
service a {
	port = 7701
	protocol = tcp
	user = nobody
	server = /bin/cat
}
service b {
	port = 7701
	protocol = tcp
	user = nobody
	server = /bin/cat
}
service c {
	port = 7702
	protocol = tcp
	user = nobody
	server = /bin/cat
}
service d {
	port = 7702
	protocol = tcp46
	user = nobody
	server = /bin/cat
}
service e {
	port = 7703
	protocol = udp
	wait = yes
	user = nobody
	server = /bin/cat
}
service f {
	port = 7703
	protocol = udp
	bind = "127.0.0.1"
	wait = yes
	user = nobody
	server = /bin/cat
}
service g {
	port = 70000
	protocol = tcp
	user = nobody
	server = /bin/cat
}
CONF
out=$("$SUPERD" -t -c "$T/conflicts.conf" 2>&1)
check "-t refuses the conflicting config" test $? -ne 0
C=$T/conflicts.conf
expect_match "the same endpoint twice: both file:line" \
	"error: config error: $C:7: service b: endpoint 0.0.0.0:7701/tcp already declared by a at $C:1" "$out"
expect_match "tcp and tcp46 wildcards on one port: both file:line" \
	"error: config error: $C:19: service d: endpoint \[::\]:7702/tcp46 overlaps 0.0.0.0:7702/tcp of c at $C:13" "$out"
expect_match "a wildcard and an address under it: both file:line" \
	"error: config error: $C:32: service f: endpoint 127.0.0.1:7703/udp overlaps 0.0.0.0:7703/udp of e at $C:25" "$out"
expect_match "a bad value is reported in the same run" \
	"error: config error: $C:41: port \"70000\": port must be 1-65535" "$out"
expect_match "the count covers every error" "errors=4 result=rejected" "$out"
check "no config error is printed as a warning" test "$(grep -c 'warning: config' <<<"$out")" = 0
out=$("$SUPERD" -f -p - -c "$T/conflicts.conf" 2>&1)
check "start refuses what -t refused" test $? -ne 0

# Ports held by another process.
hold tcp:127.0.0.1:7711 udp:0.0.0.0:7712 || exit 1
holder=$HOLDER
cat >"$T/held.conf" <<CONF
127.0.0.1:7711 stream tcp nowait nobody /bin/cat cat
127.0.0.1:7712 dgram udp wait nobody /bin/cat cat
127.0.0.1:7713 stream tcp nowait nobody /bin/cat cat
CONF
before=$(ss -tulnH | sort)
out=$("$SUPERD" -t -c "$T/held.conf" 2>&1)
expect_eq "-t still passes a config whose ports are held (warnings only)" 0 $?
expect_match "the held TCP port is warned about with the holder's pid and command" \
	"warning: $T/held.conf:1: service 7711: endpoint 127.0.0.1:7711/tcp is held by 127.0.0.1:7711/tcp of pid $holder \(python3\)" "$out"
expect_match "the UDP port held on the wildcard is warned about" \
	"warning: $T/held.conf:2: service 7712: endpoint 127.0.0.1:7712/udp is held by 0.0.0.0:7712/udp of pid $holder \(python3\)" "$out"
expect_eq "a free port draws no warning" 0 "$(grep -c 'service 7713' <<<"$out")"
expect_eq "-t binds nothing" "$before" "$(ss -tulnH | sort)"
kill $holder
wait $holder 2>/dev/null

# Ports held by a running superd are not another process's.
start_superd "$T/held.conf" || exit 1
out=$("$SUPERD" -t -c "$T/held.conf" 2>&1)
expect_eq "-t passes while superd itself holds the ports" 0 $?
expect_eq "ports held by superd draw no warning" 0 "$(grep -c 'is held by' <<<"$out")"
finish
