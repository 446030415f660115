#!/bin/bash
# SPDX-License-Identifier: ISC
# An inetd.conf is read once, whatever a lookup child does at exit.  The
# children that look users up share the file's offset with the loader;
# under valgrind each ran __libc_freeres at exit, which flushed its copy
# of the config's stdio stream and moved that offset back: the loader
# then read lines 3 to 20 a second time and refused its own config as
# duplicates ("endpoint ... already declared").  The file is now read
# whole before the parse.
. "$(dirname "$0")/lib.sh"

command -v valgrind >/dev/null || skip "valgrind is not installed (apt-get install valgrind)"
if nm "$SUPERD" 2>/dev/null | grep -q __asan_init ||
    ldd "$SUPERD" 2>/dev/null | grep -q libasan; then
	skip "$SUPERD is built with AddressSanitizer, which cannot run under valgrind"
fi

# Twenty lines, each naming a user (a lookup child per distinct user), and
# an include read the same way.
for p in $(seq 7800 7819); do
	u=nobody
	[ $((p % 2)) = 0 ] && u=daemon
	echo "127.0.0.1:$p stream tcp nowait $u /bin/cat cat"
done >"$T/inetd.conf"
echo ".include \"more.conf\"" >>"$T/inetd.conf"
for p in $(seq 7820 7829); do
	echo "127.0.0.1:$p stream tcp nowait nobody /bin/cat cat"
done >"$T/more.conf"

out=$(valgrind -q --error-exitcode=99 "$SUPERD" -t --config-format inetd \
	-c "$T/inetd.conf" 2>&1)
rc=$?
expect_eq "superd -t under valgrind accepts the file" 0 "$rc"
expect_match "every line read once: 30 endpoints" \
	"inetd\.conf: OK, 30 endpoints \(30 enabled" "$out"
check "no line is read twice" bash -c '! grep -q "already declared" <<<"$1"' - "$out"
finish
