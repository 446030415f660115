# SPDX-License-Identifier: ISC
# Shared by the end-to-end tests.  Each test runs in its own network
# namespace: the script re-executes itself under `unshare --net` (and a
# private mount namespace for /run), brings lo up, and only ever talks to
# loopback or to hosts it creates itself.
#
# Environment: SUPERD (the binary), HELPERS (built test helpers).

set -u
: "${SUPERD:=$(cd "$(dirname "$0")/../.." && pwd)/build/superd}"
: "${HELPERS:=$(dirname "$SUPERD")/helpers}"
export SUPERD HELPERS

if [ -z "${SUPERD_IN_NETNS:-}" ]; then
	export SUPERD_IN_NETNS=1
	exec unshare --net --mount --fork -- bash "$0" "$@"
fi
ip link set lo up

T=$(mktemp -d /tmp/superd-e2e.XXXXXX)
chmod 755 "$T"
# Every daemon and client of the test uses its own control socket, never
# the host's /run/superd/control.
export SUPERD_CONTROL=$T/control
PASS=0
FAIL=0
SUPERD_PID=
HOLDER=
LOG=$T/superd.log

cleanup() {
	stop_superd
	[ -z "${HOLDER:-}" ] || kill "$HOLDER" 2>/dev/null
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT

pass() { PASS=$((PASS + 1)); echo "PASS: $*"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }

# check NAME COMMAND...: pass when COMMAND succeeds.
check() {
	local name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# quietly COMMAND...: COMMAND with its stdout discarded (inside check, so
# that check's own PASS/FAIL line is still printed).
quietly() {
	"$@" >/dev/null
}

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1: expected [$2], got [$3]"
	fi
}

# expect_match NAME REGEX TEXT
expect_match() {
	if printf '%s' "$3" | grep -Eq -- "$2"; then
		pass "$1"
	else
		fail "$1: [$3] does not match /$2/"
	fi
}

# start_superd CONF [ARGS...]: run the daemon in the foreground, wait until ready.
start_superd() {
	local conf=$1 i
	shift
	: >"$LOG"
	"$SUPERD" -f -p "$T/superd.pid" -c "$conf" "$@" >>"$LOG" 2>&1 &
	SUPERD_PID=$!
	for i in $(seq 1 100); do
		grep -q 'event=ready' "$LOG" && return 0
		kill -0 "$SUPERD_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "superd did not start; its log:"
	cat "$LOG"
	SUPERD_PID=
	return 1
}

stop_superd() {
	[ -n "$SUPERD_PID" ] || return 0
	kill -TERM "$SUPERD_PID" 2>/dev/null
	wait "$SUPERD_PID" 2>/dev/null
	SUPERD_PID=
}

# wait_log REGEX [SECONDS]: wait (bounded, default 5 s) until the daemon's
# log has a matching line.
wait_log() {
	local i
	for i in $(seq 1 $((${2:-5} * 20))); do
		grep -Eq -- "$1" "$LOG" && return 0
		sleep 0.05
	done
	return 1
}

# rss: the daemon's resident set in kB.
rss() { awk '/^VmRSS/ {print $2}' /proc/"$SUPERD_PID"/status; }

# rss_settles KB: wait (bounded, 10 s) until the daemon's RSS is at most
# KB; prints the last reading either way (superd trims a second after it
# goes idle or a reload settles).
rss_settles() {
	local i now
	for i in $(seq 1 100); do
		now=$(rss)
		[ "$now" -le "$1" ] && break
		sleep 0.1
	done
	echo "$now"
}

# children_of PID: pids of the direct children of PID.
children_of() {
	cat /proc/"$1"/task/*/children 2>/dev/null
}

# ancestry_tail CHILDREN: how the audit's ancestry of a process CHILDREN
# generations below this shell ends, as a regex: "(1)" when the chain up
# to pid 1 fits the 12 names an audit gives (SELFCHECK_MAXANC), else the
# " <- ..." of a cut chain.  How deep a test runs depends on who started
# it (CI, a terminal, a job in the background), never assume it.
ancestry_tail() {
	local pid=$$ n=$1 ppid
	while [ "$pid" -gt 1 ]; do
		n=$((n + 1))
		ppid=$(sed 's/.*) . \([0-9]*\) .*/\1/' /proc/"$pid"/stat 2>/dev/null) || break
		[ -n "$ppid" ] && [ "$ppid" != "$pid" ] || break
		pid=$ppid
	done
	[ "$pid" = 1 ] && n=$((n + 1))
	if [ "$n" -le 12 ]; then echo '\(1\)$'; else echo ' <- \.\.\.$'; fi
}

# zombies_of PID: number of zombie children of PID.
zombies_of() {
	local n=0 c
	for c in $(children_of "$1"); do
		[ "$(awk '{print $3}' /proc/"$c"/stat 2>/dev/null)" = Z ] && n=$((n + 1))
	done
	echo $n
}

# private_copies [--superd]: copy the test helpers (and with --superd the
# daemon too) into $T (mode 0755, removed after the test) and point HELPERS
# (and SUPERD) there, for a test that runs them as another user: nobody
# cannot reach a checkout under a 0700 directory such as /root.
private_copies() {
	mkdir -p "$T/helpers" && cp -p "$HELPERS"/* "$T/helpers/" ||
		skip "cannot copy the test helpers from $HELPERS to $T"
	HELPERS=$T/helpers
	if [ "${1:-}" = --superd ]; then
		cp -p "$SUPERD" "$T/superd" || skip "cannot copy $SUPERD to $T"
		SUPERD=$T/superd
	fi
	export HELPERS SUPERD
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		test -x "$HELPERS/report" ||
		skip "nobody cannot run programs in $T (a noexec /tmp?)"
}

# skip REASON: the test cannot run here; say why.
skip() {
	echo "SKIP: $*"
	exit 77
}

finish() {
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}

# hold PROTO:ADDR:PORT...: another process (python3) binds each endpoint
# (tcp listens, udp binds; an IPv6 ADDR in brackets, IPv6-only) and keeps it
# until killed; its pid in HOLDER.  Waits (bounded) until all are bound.
hold() {
	rm -f "$T/held"
	python3 - "$T/held" "$@" <<'PY' &
import socket, sys, time
keep = []
for spec in sys.argv[2:]:
    proto, rest = spec.split(":", 1)
    addr, port = rest.rsplit(":", 1)
    fam = socket.AF_INET6 if addr.startswith("[") else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr.strip("[]"), int(port)))
    if proto == "tcp":
        s.listen()
    keep.append(s)
open(sys.argv[1], "w").close()
time.sleep(600)
PY
	HOLDER=$!
	local i
	for i in $(seq 1 100); do [ -e "$T/held" ] && return 0; sleep 0.05; done
	return 1
}
