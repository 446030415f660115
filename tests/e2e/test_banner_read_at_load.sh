#!/bin/bash
# SPDX-License-Identifier: ISC
# Banners are read at load, cached, and re-read at reload; no connection
# opens a file.  A banner swapped for a symlink to a root-only file after
# start sends the cached bytes, not the file; a FIFO, a symlink or a file
# over 64 KiB is refused at load with file:line, and never waited on.
. "$(dirname "$0")/lib.sh"

echo WELCOME >"$T/banner"
echo DENIED >"$T/denied"
echo SECRET >"$T/secret"
chmod 600 "$T/secret"
cat >"$T/superd.conf" <<CONF
service hello {
	port = 7981
	bind = "127.0.0.1"
	user = nobody
	server = /bin/echo
	server_args = {"ok"}
	banner = "$T/banner"
}
service refused {
	port = 7982
	bind = "127.0.0.1"
	user = nobody
	server = /bin/echo
	server_args = {"ok"}
	only_from = {"192.0.2.1"}
	banner_fail = "$T/denied"
}
CONF
start_superd "$T/superd.conf" || exit 1
expect_eq "banner sent before the server's output" "WELCOME
ok" "$(nc -d -w3 127.0.0.1 7981)"
expect_eq "banner_fail sent on a refusal" "DENIED" "$(nc -d -w3 127.0.0.1 7982)"

rm "$T/banner" "$T/denied"
ln -s "$T/secret" "$T/banner"
mkfifo "$T/denied"
out=$(nc -d -w3 127.0.0.1 7981)
expect_eq "banner swapped for a symlink to a root-only file: cached bytes sent" "WELCOME
ok" "$out"
check "the root-only file never reaches the client" bash -c "! grep -q SECRET <<<'$out'"
expect_eq "banner_fail swapped for a FIFO: cached bytes, daemon not frozen" \
	"DENIED" "$(timeout 5 nc -d -w3 127.0.0.1 7982)"

kill -HUP "$SUPERD_PID"
check "reload with a symlink banner is refused with file:line" \
	wait_log "superd.conf:1: service hello: banner $T/banner: is a symbolic link|superd.conf:[0-9]+: banner \"$T/banner\": is a symbolic link"
expect_eq "after the refused reload the old cached banner is still sent" "WELCOME
ok" "$(nc -d -w3 127.0.0.1 7981)"

rm "$T/banner" "$T/denied"
echo NEWS >"$T/banner"
echo GO-AWAY >"$T/denied"
kill -HUP "$SUPERD_PID"
check "reload re-reads the banners" wait_log 'event=reload result=ok'
expect_eq "the new banner is sent after reload" "NEWS
ok" "$(nc -d -w3 127.0.0.1 7981)"
expect_eq "the new banner_fail is sent after reload" "GO-AWAY" "$(nc -d -w3 127.0.0.1 7982)"
stop_superd

# At load: FIFO, symlink and oversize banners are refused with file:line.
mkfifo "$T/fifo"
head -c 65537 /dev/zero >"$T/big"
ln -sf "$T/secret" "$T/link"
for kind in fifo big link; do
	cat >"$T/b.conf" <<CONF
service b {
	port = 7983
	bind = "127.0.0.1"
	user = nobody
	server = /bin/true
	banner = "$T/$kind"
}
CONF
	out=$(timeout 5 "$SUPERD" --check-config -c "$T/b.conf" 2>&1)
	rc=$?
	check "banner $kind: refused at load, at once (rc $rc)" test "$rc" -ne 0 -a "$rc" -ne 124
	expect_match "banner $kind: error names file:line" "b.conf:[0-9]+: .*$T/$kind.*(not a regular file|larger than 65536 bytes|symbolic link)" "$out"
done
finish
