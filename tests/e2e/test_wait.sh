#!/bin/bash
# SPDX-License-Identifier: ISC
# wait services: a stream wait server gets the listening socket and is the
# only one until it exits; a dgram wait service is driven by a real
# inetd-mode program from Debian (in.tftpd) and its client.
. "$(dirname "$0")/lib.sh"
private_copies

TFTPD=$(command -v in.tftpd || echo /usr/sbin/in.tftpd)
[ -x "$TFTPD" ] || skip "in.tftpd (tftpd-hpa) is not installed"
command -v tftp >/dev/null || skip "tftp (tftp-hpa) is not installed"

mkdir -p "$T/tftp"
echo "payload $$" >"$T/tftp/hello.txt"
chmod 644 "$T/tftp/hello.txt"
cat >"$T/inetd.conf" <<CONF
127.0.0.1:3000 stream tcp wait nobody $HELPERS/waitserver waitserver
127.0.0.1:tftp dgram udp wait root $TFTPD in.tftpd -t 2 -s $T/tftp
CONF
start_superd "$T/inetd.conf" || exit 1

a=$(nc -d -w2 127.0.0.1 3000)
b=$(nc -d -w2 127.0.0.1 3000)
expect_match "stream wait server answers" '^waitserver pid=[0-9]+ served=1$' "$a"
expect_eq "one wait server serves the next connection too" \
	"${a% served=1} served=2" "$b"
check "wait server exits and is reaped" wait_log 'service=3000 event=end .*exit=0'
c=$(nc -d -w2 127.0.0.1 3000)
expect_match "a new wait server starts after the first one exits" 'served=1$' "$c"
check "the new server has another pid" test "${c%% served*}" != "${a%% served*}"

cd "$T" && tftp 127.0.0.1 -c get hello.txt got.txt
expect_eq "tftp through a dgram wait service" "payload $$" "$(cat "$T/got.txt" 2>/dev/null)"
rm -f "$T/got.txt"
cd "$T" && tftp 127.0.0.1 -c get hello.txt got.txt
expect_eq "a second tftp transfer" "payload $$" "$(cat "$T/got.txt" 2>/dev/null)"
check "in.tftpd (-t 2) exits and is reaped" wait_log 'service=tftp event=end .*exit=0'
pkill -f "in.tftpd -t 2 -s $T/tftp" 2>/dev/null
finish
