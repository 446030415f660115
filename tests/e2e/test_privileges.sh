#!/bin/bash
# SPDX-License-Identifier: ISC
# Least privilege: a root service restricted to named capabilities, or
# with no_new_privs; every choice logged; the daemon run as an unprivileged
# user; children signalled on exit when asked.
. "$(dirname "$0")/lib.sh"
private_copies

cat >"$T/superd.conf" <<CONF
kill_children_on_exit = yes
service rootfull {
	port = 7951
	protocol = tcp
	bind = "127.0.0.1"
	user = root
	server = $HELPERS/report
}
service rootnarrow {
	port = 7952
	protocol = tcp
	bind = "127.0.0.1"
	user = root
	server = $HELPERS/report
	capabilities = {"cap_net_bind_service"}
	no_new_privs = yes
}
service sleeper {
	port = 7953
	protocol = tcp
	bind = "127.0.0.1"
	user = nobody
	server = /bin/sleep
	server_args = {"60"}
}
CONF
start_superd "$T/superd.conf" || exit 1
check "an unrestricted root service is logged as root" \
	grep -q 'service=rootfull endpoint=127.0.0.1:7951/tcp privileges=root$' "$LOG"
check "a restricted root service is logged with its set" \
	grep -q 'service=rootnarrow .*privileges=root-restricted:"cap_net_bind_service=p",no_new_privs' "$LOG"
check "a non-root service is logged as having none" \
	grep -q 'service=sleeper .*privileges=none' "$LOG"

expect_eq "with an unrestricted root service the daemon's bounding set stays whole" \
	"$(awk '/^CapBnd/ {print $2}' /proc/self/status)" \
	"$(awk '/^CapBnd/ {print $2}' /proc/"$SUPERD_PID"/status)"
full=$(nc -d -w2 127.0.0.1 7951)
narrow=$(nc -d -w2 127.0.0.1 7952)
bnd=$(awk '/^CapBnd/ {print $2}' /proc/self/status)
expect_eq "unrestricted root child keeps root's privileges" "CapEff:	$bnd" "$(grep ^CapEff <<<"$full")"
expect_eq "restricted root child has only its named capability" "CapEff:	0000000000000400" "$(grep ^CapEff <<<"$narrow")"
expect_eq "restricted root child's bounding set is that capability" "CapBnd:	0000000000000400" "$(grep ^CapBnd <<<"$narrow")"
expect_eq "no_new_privs is set" "NoNewPrivs:	1" "$(grep ^NoNewPrivs <<<"$narrow")"
expect_eq "no_new_privs is off by default" "NoNewPrivs:	0" "$(grep ^NoNewPrivs <<<"$full")"

nc -d -w5 127.0.0.1 7953 >/dev/null &
wait_log 'service=sleeper event=start'
child=$(children_of "$SUPERD_PID")
check "the sleeper child runs" kill -0 "$child"
stop_superd
for i in $(seq 1 50); do kill -0 "$child" 2>/dev/null || break; sleep 0.05; done
check "kill_children_on_exit signals running children" test ! -d /proc/"$child"

# The daemon itself as nobody.
cat >"$T/user.conf" <<CONF
user = nobody
service hello {
	port = 7954
	protocol = tcp
	bind = "127.0.0.1"
	user = nobody
	server = $HELPERS/report
}
service echo {
	internal = yes
	protocol = tcp
	bind = "127.0.0.1"
}
CONF
start_superd "$T/user.conf" || exit 1
expect_eq "daemon runs as the configured user" "$(id -u nobody)" \
	"$(awk '/^Uid/ {print $3}' /proc/"$SUPERD_PID"/status)"
expect_eq "daemon has no capability left" "CapEff:	0000000000000000" "$(grep ^CapEff /proc/"$SUPERD_PID"/status)"
expect_eq "daemon permitted set is empty" "CapPrm:	0000000000000000" "$(grep ^CapPrm /proc/"$SUPERD_PID"/status)"
expect_eq "privileged port bound before the drop still serves" "low" "$(echo low | nc -N -w2 127.0.0.1 7)"
expect_match "children still run, as that user" "^Uid:	$(id -u nobody)	" "$(nc -d -w2 127.0.0.1 7954 | grep ^Uid)"
stop_superd
printf 'user = nobody\nservice r {\n port = 7955\n protocol = tcp\n user = root\n server = /bin/true\n}\n' >"$T/bad.conf"
out=$("$SUPERD" -t -c "$T/bad.conf" 2>&1)
check "a root service under an unprivileged daemon is a config error" test $? -ne 0
expect_match "naming the service and the line" 'bad.conf:2: service r runs as root, but the daemon runs as user nobody' "$out"
finish
