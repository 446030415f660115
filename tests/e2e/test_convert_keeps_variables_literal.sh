#!/bin/bash
# SPDX-License-Identifier: ISC
# --convert keeps "${VAR}" literal: the converted superd.conf escapes '$'
# (libconfuse expands "${VAR}" in strings from the loader's environment),
# so a server argument written ${HOME} in inetd.conf or xinetd reaches the
# server as ${HOME}, whatever the environment of --convert or the daemon.
. "$(dirname "$0")/lib.sh"
command -v nc >/dev/null || skip "nc is not installed"

printf '127.0.0.1:7610 stream tcp nowait nobody /bin/echo echo ${HOME} $HOME ${PATH:-x}\n' >"$T/inetd.conf"
cat >"$T/xinetd.conf" <<'X'
service x
{
	socket_type = stream
	protocol = tcp
	wait = no
	user = nobody
	server = /bin/echo
	server_args = ${HOME} $HOME
	port = 7611
	bind = 127.0.0.1
	type = UNLISTED
	env = A=${HOME}
}
X
HOME=/converter-home "$SUPERD" --convert "$T/inetd.conf" >"$T/a.conf" 2>"$T/a.err"
expect_eq "inetd.conf converts" 0 $?
HOME=/converter-home "$SUPERD" --convert "$T/xinetd.conf" >"$T/b.conf" 2>"$T/b.err"
expect_eq "xinetd converts" 0 $?
check "the converter's environment is not in the output" \
	bash -c '! grep -q converter-home "$1" "$2"' - "$T/a.conf" "$T/b.conf"
expect_match "'\$' is escaped in the output" 'server_args = \{"\\\$\{HOME\}", "\\\$HOME", "\\\$\{PATH:-x\}"\}' \
	"$(cat "$T/a.conf")"
expect_match "and in env values" 'env = \{"A=\\\$\{HOME\}"\}' "$(cat "$T/b.conf")"

# The daemon, with yet another HOME, passes the arguments as written.
HOME=/daemon-home start_superd "$T/a.conf" || exit 1
expect_eq "the server gets \${HOME} literally (inetd.conf)" '${HOME} $HOME ${PATH:-x}' \
	"$(nc -w2 127.0.0.1 7610 </dev/null)"
stop_superd
HOME=/daemon-home start_superd "$T/b.conf" || exit 1
expect_eq "the server gets \${HOME} literally (xinetd)" '${HOME} $HOME' \
	"$(nc -w2 127.0.0.1 7611 </dev/null)"
finish
