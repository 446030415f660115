#!/bin/bash
# SPDX-License-Identifier: ISC
# After 10,000 connections of mixed kinds the daemon's open descriptors and
# memory are what they were: TCP and UDP echo builtins, a /bin/true command
# service, a service whose only_from refuses the client, peers that reset
# at once (SO_LINGER 0) and peers that connect, send nothing and close.
# Then no child is left, no zombie, and the daemon still serves.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip "python3 is not installed"

cat >"$T/superd.conf" <<CONF
service echo {
	internal = echo
	port = 7401
	protocol = tcp
	bind = "127.0.0.1"
}
service echo-udp {
	internal = echo
	port = 7401
	protocol = udp
	bind = "127.0.0.1"
}
service true {
	port = 7402
	protocol = tcp
	bind = "127.0.0.1"
	user = nobody
	server = /bin/true
}
service walled {
	internal = echo
	port = 7403
	protocol = tcp
	bind = "127.0.0.1"
	only_from = {"192.0.2.1"}
}
CONF

# load.py N: N connections cycling through the kinds below, one at a time
# except that up to 16 silent peers and 32 UDP sockets stay open a little
# while.  Every socket has a timeout; prints "done=N failed=N udp_replies=N".
cat >"$T/load.py" <<'PY'
import collections, socket, struct, sys, time
N = int(sys.argv[1])
A = "127.0.0.1"
ECHO, TRUE, WALLED = 7401, 7402, 7403
failed = 0
udp_replies = 0
silent = collections.deque()
udps = collections.deque()
deadline = time.monotonic() + 90

def tcp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect((A, port))
    return s

def read_eof(s):
    while s.recv(4096):
        pass

def drain_udp(s):
    global udp_replies
    s.setblocking(False)
    try:
        while s.recv(2048):
            udp_replies += 1
    except (BlockingIOError, ConnectionRefusedError):
        pass
    s.close()

def one(kind):
    if kind == 0:      # echo, answered
        s = tcp(ECHO)
        s.sendall(b"soak\n")
        got = b""
        while len(got) < 5:
            d = s.recv(64)
            if not d:
                break
            got += d
        s.close()
        return got == b"soak\n"
    if kind == 1:      # one UDP datagram; the reflector guard may drop replies
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.sendto(b"soak", (A, ECHO))
        udps.append(s)
        if len(udps) > 32:
            drain_udp(udps.popleft())
        return True
    if kind == 2:      # a command: the child exits, the peer sees EOF
        s = tcp(TRUE)
        read_eof(s)
        s.close()
        return True
    if kind == 3:      # refused by only_from: closed without a word
        s = tcp(WALLED)
        try:
            ok = s.recv(64) == b""
        except ConnectionResetError:
            ok = True
        s.close()
        return ok
    if kind in (4, 5): # reset at once, to the builtin and to the command
        s = tcp(ECHO if kind == 4 else TRUE)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
        return True
    if kind == 6:      # connect, send nothing, close a little later
        silent.append(tcp(ECHO))
        if len(silent) > 16:
            silent.popleft().close()
        return True

done = 0
for i in range(N):
    if time.monotonic() > deadline:
        break
    try:
        if not one(i % 7):
            failed += 1
    except OSError:
        failed += 1
    done += 1
while silent:
    silent.popleft().close()
time.sleep(0.2)
while udps:
    drain_udp(udps.popleft())
print("done=%d failed=%d udp_replies=%d" % (done, failed, udp_replies))
PY

# Under AddressSanitizer freed memory sits in a quarantine, which RssAnon
# would count as growth: turn it off so the bound still means something.
asan=
if nm -D "$SUPERD" 2>/dev/null | grep -q __asan_; then
	asan=1
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
fi
start_superd "$T/superd.conf" || exit 1

# settle: no child, no builtin session, no zombie.
settle() {
	local i
	for i in $(seq 1 100); do
		if [ "$(children_of "$SUPERD_PID" | wc -w)" -eq 0 ] &&
		    [ "$(ls /proc/"$SUPERD_PID"/fd | wc -l)" -le "${1:-1000000}" ]; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}
# Anonymous memory (heap, stacks) is where a leak shows: the program text
# serving faults in is file-backed, and the daemon drops it once idle
# (resident_when_idle), at a moment of its own.
rss() { awk '/^RssAnon:/ {print $2}' /proc/"$SUPERD_PID"/status; }

read -r warm <<<"$(python3 "$T/load.py" 504)"
echo "warm-up: $warm"
settle
sleep 0.5
fds_before=$(ls /proc/"$SUPERD_PID"/fd | wc -l)
rss_before=$(rss)

read -r result <<<"$(python3 "$T/load.py" 10000)"
echo "soak: $result"
expect_match "10,000 connections made" 'done=10000 ' "$result"
expect_match "every TCP exchange answered as expected" ' failed=0 ' "$result"
check "every child reaped and every session ended" settle "$fds_before"
fds_after=$(ls /proc/"$SUPERD_PID"/fd | wc -l)
rss_after=$(rss)
echo "fds: $fds_before -> $fds_after; RssAnon: $rss_before kB -> $rss_after kB"
expect_eq "open descriptors unchanged" "$fds_before" "$fds_after"
check "RssAnon grew less than 512 kB ($rss_before -> $rss_after kB)" \
    test $((rss_after - rss_before)) -lt 512
expect_eq "no child left" 0 "$(children_of "$SUPERD_PID" | wc -w)"
expect_eq "no zombie" 0 "$(zombies_of "$SUPERD_PID")"
check "daemon alive" kill -0 "$SUPERD_PID"
expect_eq "daemon still serves" "still" "$(echo still | nc -N -w2 127.0.0.1 7401)"
kill -USR1 "$SUPERD_PID"
check "the dump counts no child or session" wait_log 'event=dump children=0'
check "refusals were logged" grep -q 'service=walled event=refuse' "$LOG"
check "the command ran" grep -q 'service=true event=end .*exit=0' "$LOG"
check "no error logged" test -z "$(grep 'superd: error' "$LOG" | head -3)"
kill -TERM "$SUPERD_PID"
wait "$SUPERD_PID"
expect_eq "SIGTERM exits 0${asan:+ (and LeakSanitizer found no leak)}" 0 $?
SUPERD_PID=
finish
