#!/bin/bash
# SPDX-License-Identifier: ISC
# A restriction that holds: a uid-0 child without capabilities still owns
# root's files, so superd offers (a) a non-root user with ambient
# capabilities (user = nobody + capabilities = {cap_net_bind_service}),
# (b) a sandbox (protect_system = strict, private_tmp, private_devices),
# and (c) warns at load about a root service restricted by capabilities.
. "$(dirname "$0")/lib.sh"
private_copies
[ "$(id -u)" = 0 ] || skip "needs root"

echo secret >"$T/rootfile"
chmod 600 "$T/rootfile"
cat >"$T/superd.conf" <<CONF
defaults {
	protocol = tcp
	bind = "127.0.0.1"
}
service ambient {
	port = 7961
	user = nobody
	server = $HELPERS/report
	server_args = {"bind=81"}
	capabilities = {"cap_net_bind_service"}
}
service plain {
	port = 7962
	user = nobody
	server = $HELPERS/report
	server_args = {"bind=82"}
}
service rootcaps {
	port = 7963
	user = root
	server = /bin/true
	capabilities = {"none"}
}
service strict {
	port = 7964
	user = root
	server = /bin/sh
	server_args = {"-c", "echo x >>$T/rootfile && echo wrote-root-file || echo root-file-read-only; echo y >/dev/null && echo devnull-ok; echo devs: \$(ls /dev)"}
	capabilities = {"cap_net_bind_service"}
	protect_system = strict
	private_devices = yes
}
service strictwide {
	port = 7967
	user = root
	server = /bin/true
	protect_system = strict
}
service privtmp {
	port = 7965
	user = root
	server = /bin/sh
	server_args = {"-c", "ls -A /tmp | wc -l; echo sandboxed >/tmp/mark && cat /tmp/mark"}
	capabilities = {"none"}
	private_tmp = yes
}
CONF
start_superd "$T/superd.conf" || exit 1

check "ambient: logged as ambient capabilities" \
	grep -q 'service=ambient .*privileges=ambient:"cap_net_bind_service=p"' "$LOG"
out=$(nc -d -w3 127.0.0.1 7961)
expect_eq "ambient: child runs as nobody" "$(id -u nobody)" "$(awk '/^Uid:/ {print $2}' <<<"$out")"
expect_eq "ambient: CapEff is exactly cap_net_bind_service" "CapEff:	0000000000000400" "$(grep ^CapEff <<<"$out")"
expect_eq "ambient: CapAmb is exactly cap_net_bind_service" "CapAmb:	0000000000000400" "$(grep ^CapAmb <<<"$out")"
expect_eq "ambient: CapBnd is exactly cap_net_bind_service" "CapBnd:	0000000000000400" "$(grep ^CapBnd <<<"$out")"
expect_eq "ambient: nobody binds a privileged port" "bind=ok" "$(grep ^bind= <<<"$out")"
out=$(nc -d -w3 127.0.0.1 7962)
expect_eq "without capabilities nobody cannot bind a privileged port" \
	"bind=Permission denied" "$(grep ^bind= <<<"$out")"
expect_eq "without capabilities CapAmb stays empty" "CapAmb:	0000000000000000" "$(grep ^CapAmb <<<"$out")"

check "root service with capabilities: warned that uid 0 owns root's files" \
	grep -q "superd.conf:[0-9]*: service rootcaps: runs as uid 0: capabilities limit its privileges, but it still owns every file root owns" "$LOG"
check "protect_system with narrowed capabilities and private_devices: no warning" \
	bash -c "! grep -q 'service strict: protect_system holds a root child only' '$LOG'"
check "protect_system for a root child with every capability: warned" \
	grep -q 'service strictwide: protect_system holds a root child only with private_devices' "$LOG"

out=$(nc -d -w3 127.0.0.1 7964)
expect_match "protect_system: a root child cannot write a root-owned file" 'root-file-read-only' "$out"
expect_eq "protect_system: the root-owned file is unchanged" "secret" "$(cat "$T/rootfile")"
expect_match "private_devices: /dev/null still writable" 'devnull-ok' "$out"
expect_eq "private_devices: /dev holds only the harmless nodes" \
	'devs: full null random tty urandom zero' "$(grep ^devs: <<<"$out")"
touch "$T/visible"
out=$(nc -d -w3 127.0.0.1 7965)
expect_eq "private_tmp: the child's /tmp starts empty" "0" "$(sed -n 1p <<<"$out")"
expect_eq "private_tmp: the child's /tmp is writable" "sandboxed" "$(sed -n 2p <<<"$out")"
check "private_tmp: its file does not reach the host's /tmp" test ! -e /tmp/mark
check "the daemon's mounts are untouched" test -e "$T/visible"
stop_superd

# A sandbox added by reload after the daemon gave up CAP_SYS_ADMIN: the
# reload says a restart is needed, and the child fails before exec.
cat >"$T/plain.conf" <<CONF
service late {
	port = 7968
	bind = "127.0.0.1"
	user = nobody
	server = /bin/echo
	server_args = {"not sandboxed"}
}
CONF
start_superd "$T/plain.conf" || exit 1
cat >>"$T/plain.conf" <<CONF
service late2 {
	port = 7969
	bind = "127.0.0.1"
	user = nobody
	server = /bin/echo
	server_args = {"sandboxed"}
	private_tmp = yes
}
CONF
kill -HUP "$SUPERD_PID"
check "reload adding a sandbox after start: restart asked for" \
	wait_log 'a service now needs capabilities the daemon gave up at start'
wait_log 'event=reload result=ok'
expect_eq "sandbox that cannot be set up: nothing runs unsandboxed" "" \
	"$(nc -d -w3 127.0.0.1 7969)"
check "sandbox that cannot be set up: logged as setup_failed=sandbox" \
	wait_log 'service=late2 event=end .*exit=119 setup_failed=sandbox'
stop_superd

# A sandbox needs the daemon to keep CAP_SYS_ADMIN: refused under user =.
cat >"$T/unpriv.conf" <<CONF
user = nobody
service s {
	port = 7966
	bind = "127.0.0.1"
	user = nobody
	server = /bin/true
	protect_system = strict
}
CONF
out=$("$SUPERD" --check-config -c "$T/unpriv.conf" 2>&1)
expect_match "sandbox under an unprivileged daemon refused with file:line" \
	'unpriv.conf:2: service s: a sandbox needs the daemon to run as root' "$out"
sed -i 's/protect_system = strict/capabilities = {"cap_net_bind_service"}/' "$T/unpriv.conf"
out=$("$SUPERD" --check-config -c "$T/unpriv.conf" 2>&1)
expect_match "ambient capabilities under an unprivileged daemon refused" \
	'unpriv.conf:2: service s: capabilities needs the daemon to run as root' "$out"
sed -i 's/capabilities = .*/protect_system = yes/' "$T/unpriv.conf"
out=$("$SUPERD" --check-config -c "$T/unpriv.conf" 2>&1)
expect_match "protect_system = yes refused (strict or no)" 'protect_system "yes": expected strict or no' "$out"
finish
