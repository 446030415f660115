#!/bin/bash
# SPDX-License-Identifier: ISC
# A server's own exit status is never taken for a set-up failure: a server
# that exits 123 (the code of a credentials failure) is logged exit=123,
# while a child that really fails before exec is still logged
# setup_failed=exec.
. "$(dirname "$0")/lib.sh"

cat >"$T/superd.conf" <<CONF
service own123 {
	port = 7501
	protocol = tcp
	bind = "127.0.0.1"
	user = nobody
	server = /bin/sh
	server_args = { "-c", "exit 123" }
}
service own125 {
	port = 7502
	protocol = tcp
	bind = "127.0.0.1"
	user = nobody
	server = /bin/sh
	server_args = { "-c", "exit 125" }
}
service noexec {
	port = 7503
	protocol = tcp
	bind = "127.0.0.1"
	user = nobody
	server = $T/notexec
}
CONF
printf '#!/nonexistent/interpreter\n' >"$T/notexec"
chmod 755 "$T/notexec"
start_superd "$T/superd.conf" || exit 1
for i in 1 2 3; do
	nc -d -w2 127.0.0.1 7501
	nc -d -w2 127.0.0.1 7502
done
nc -d -w2 127.0.0.1 7503
check "a server exiting 123 is logged exit=123" \
	wait_log 'service=own123 event=end .*exit=123 duration_ms'
check "a server exiting 125 is logged exit=125" \
	wait_log 'service=own125 event=end .*exit=125 duration_ms'
check "a child that cannot exec is logged as a set-up failure" \
	wait_log 'service=noexec event=end .*exit=125 setup_failed=exec'
expect_eq "no server's own exit is called a set-up failure" 0 \
	"$(grep -c 'service=own.*setup_failed' "$LOG")"
finish
