#!/bin/bash
# SPDX-License-Identifier: ISC
# superd --selfcheck, declared endpoints: one nobody listens on is missing;
# one another process holds is foreign (named); a bind wider than declared
# is flagged; endpoints a running superd serves are ok (exit 0).
# Runs in its own network namespace with a veth to a peer namespace
# (192.0.2.1/24 and 2001:db8::1/64 on our side).
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/selfcheck_lib.bash"

CONF=$T/declared.conf
cat >"$CONF" <<EOF
127.0.0.1:18081 stream tcp nowait root /bin/cat cat
192.0.2.1:18082 dgram udp wait root /bin/cat cat
*:18083 stream tcp nowait root /bin/cat cat
127.0.0.1:18084 stream tcp nowait root /bin/cat cat
EOF
json=$("$SUPERD" -c "$CONF" --selfcheck --json)
expect_eq "missing endpoints exit 2" 2 $?
expect_eq "declared TCP nobody serves is missing" 18081 \
	"$(f tcp/127.0.0.1/18081/missing .service)"
expect_eq "declared UDP nobody serves is missing" 18082 \
	"$(f udp/192.0.2.1/18082/missing .service)"
expect_eq "wildcard declaration expands to the veth address" missing \
	"$(f tcp/192.0.2.1/18083/missing .kind)"

socat TCP-LISTEN:18083,reuseaddr,fork SYSTEM:true &
FOREIGN=$!
socat TCP-LISTEN:18084,reuseaddr,fork SYSTEM:true &
WIDE=$!
sleep 0.3
json=$("$SUPERD" -c "$CONF" --selfcheck --json)
expect_eq "foreign holders exit 2" 2 $?
expect_eq "declared port held by socat is foreign" "$FOREIGN" \
	"$(f tcp/192.0.2.1/18083/foreign '.socket.owners[0].pid')"
expect_eq "foreign finding names the command" socat \
	"$(f tcp/127.0.0.1/18083/foreign '.socket.owners[0].comm')"
expect_eq "0.0.0.0 bind of a 127.0.0.1 declaration is wider" CRITICAL \
	"$(f tcp/0.0.0.0/18084/wider .severity)"
expect_eq "the wider socket is named" "$WIDE" \
	"$(f tcp/0.0.0.0/18084/wider '.socket.owners[0].pid')"
kill "$FOREIGN" "$WIDE"
wait "$FOREIGN" "$WIDE" 2>/dev/null

# With superd serving exactly what is declared, the audit is clean.
SERVED=$T/served.conf
cat >"$SERVED" <<EOF
127.0.0.1:18085 stream tcp nowait root /bin/cat cat
192.0.2.1:18086 stream tcp nowait root /bin/cat cat
[2001:db8::1]:18087 stream tcp6 nowait root /bin/cat cat
127.0.0.1:18088 dgram udp wait root /bin/cat cat
EOF
if ! start_superd "$SERVED"; then
	echo "SKIP: superd cannot serve here; daemon cases not run"
	finish
	exit
fi
json=$("$SUPERD" -c "$SERVED" --selfcheck --json)
expect_eq "served declarations exit 0" 0 $?
expect_eq "every declared endpoint is ok" 4 "$(jq '.summary.ok' <<<"$json")"
expect_eq "ok names superd as the owner" "$SUPERD_PID" \
	"$(f tcp/192.0.2.1/18086/ok '.socket.owners[0].pid')"
expect_eq "the probe reached superd's listener" open \
	"$(f tcp/2001:db8::1/18087/ok .probe)"
socat TCP-LISTEN:18089,bind=192.0.2.1,fork SYSTEM:true &
STRAY=$!
sleep 0.3
"$SUPERD" -c "$SERVED" --selfcheck >/dev/null
expect_eq "a stray beside superd makes it CRITICAL" 2 $?
kill "$STRAY"
finish
