#!/bin/bash
# SPDX-License-Identifier: ISC
# superd --selfcheck names every holder of a socket with where it runs
# (from /proc/PID/cgroup: a unit, session, container, else the raw cgroup
# path) and its ancestry up to pid 1, in text and JSON: a listener started
# in a transient cgroup this test makes shows that cgroup, and its chain
# passes through this test's shell.  A socket two processes hold names
# both; a listener in flight over SCM_RIGHTS (held by no process) is
# `owner unknown`, not a kernel socket.
# Runs in its own network namespace (lib.sh); the cgroup is removed after.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip "python3 is not installed"
command -v jq >/dev/null || skip "jq is not installed"
[ -x "$SUPERD" ] || skip "no superd binary at $SUPERD"

# The cgroup v2 hierarchy (/sys/fs/cgroup, or /sys/fs/cgroup/unified on a
# hybrid host), and a transient cgroup of this test in it.
CGROOT=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$CGROOT" ] || skip "no cgroup v2 hierarchy is mounted"
CGNAME=superd-test-$$-$RANDOM
CGDIR=$CGROOT/$CGNAME
mkdir "$CGDIR" 2>/dev/null || skip "cgroupfs is not writable here ($CGROOT)"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for i in $(seq 100); do rmdir "$CGDIR" 2>/dev/null && break; sleep 0.05; done
	cleanup' EXIT

CONF=$T/owners.conf
: >"$CONF"
export T
# A listener on 7301 in the transient cgroup (the subshell moves itself
# there, then becomes python3: its parent is this shell); it forks after
# listening, so two processes hold it.  A listener on 7302 is sent over
# SCM_RIGHTS and never received: in flight, held by no process.
(
	echo "$BASHPID" >"$CGDIR/cgroup.procs" || exit 1
	exec python3 - <<'PY'
import array, os, socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("0.0.0.0", 7301))
s.listen()
child = os.fork()
if child == 0:
    time.sleep(600)
    os._exit(0)
f = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
f.bind(("0.0.0.0", 7302))
f.listen()
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
a.sendmsg([b"x"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                    array.array("i", [f.fileno()]))])
f.close()
with open(os.environ["T"] + "/ready.tmp", "w") as o:
    o.write("%d %d\n" % (os.getpid(), child))
os.rename(os.environ["T"] + "/ready.tmp", os.environ["T"] + "/ready")
time.sleep(600)
PY
) &
PIDS+=($!)
for i in $(seq 100); do
	[ -s "$T/ready" ] && break
	sleep 0.05
done
[ -s "$T/ready" ] || { fail "the listeners in the cgroup are up"; finish; exit; }
read -r PARENT CHILD <"$T/ready"
PIDS+=("$CHILD")
expect_eq "the listener runs in the test's cgroup (as the kernel says)" \
	"0::/$CGNAME" "$(grep '^0::' "/proc/$PARENT/cgroup")"

json=$("$SUPERD" -c "$CONF" --selfcheck --json --no-probe)
text=$("$SUPERD" -c "$CONF" --selfcheck --no-probe)
own() { jq -r ".findings[] | select(.id == \"tcp/0.0.0.0/7301/local-only\") | .socket.owners[] | select(.pid == $1) | $2" <<<"$json"; }

expect_eq "both holders of 7301 are named" "$PARENT $CHILD" \
	"$(jq -r '[.findings[] | select(.id == "tcp/0.0.0.0/7301/local-only") | .socket.owners[].pid] | sort | map(tostring) | join(" ")' <<<"$json")"
expect_eq "JSON: the holder's cgroup" "/$CGNAME" "$(own "$PARENT" .cgroup)"
expect_eq "JSON: it runs in that cgroup (no unit matches)" "cgroup /$CGNAME" \
	"$(own "$PARENT" '"\(.runs_in.kind) \(.runs_in.name)"')"
chain=$(own "$PARENT" '[.ancestry[] | "\(.comm)(\(.pid))"] | join(" <- ")')
# The chain reaches pid 1 unless this test runs too deep for 12 names.
tail=$(ancestry_tail 1)
truncated=false
[ "$tail" = '\(1\)$' ] || truncated=true
expect_match "JSON: the ancestry starts at the holder, passes this shell, ends at pid 1 or at 12 names" \
	"^python3\($PARENT\) <- [^ ]+\($$\) <- .*$([ $truncated = false ] && echo '\(1\)')$" "$chain"
[ $truncated = false ] ||
	expect_eq "JSON: a cut chain holds 12 names" 12 "$(own "$PARENT" '.ancestry | length')"
expect_match "JSON: the forked holder's ancestry goes through its parent" \
	"^python3\($CHILD\) <- python3\($PARENT\) <- [^ ]+\($$\) <- " \
	"$(own "$CHILD" '[.ancestry[] | "\(.comm)(\(.pid))"] | join(" <- ")')"
expect_eq "JSON: the chain is whole unless cut at 12" $truncated "$(own "$PARENT" .ancestry_truncated)"
expect_match "text: both holders on the row" \
	"^0\.0\.0\.0:7301 .* local-only .*($PARENT/python3\(root\),$CHILD/python3\(root\)|$CHILD/python3\(root\),$PARENT/python3\(root\))" \
	"$text"
expect_match "text: the holder's cgroup and ancestry" \
	"^  owner $PARENT: in cgroup /$CGNAME; python3\($PARENT\) <- [^ ]+\($$\) <- .*$tail" \
	"$text"

expect_eq "the listener in flight over SCM_RIGHTS has no owner" "0 0" \
	"$(jq -r '.findings[] | select(.id == "tcp/0.0.0.0/7302/local-only") | "\(.socket.owners | length) \(.socket.holders)"' <<<"$json")"
expect_match "text: its owner is unknown" "^0\.0\.0\.0:7302 .* local-only .* unknown" "$text"
json=$("$SUPERD" -c "$CONF" --selfcheck --json --no-probe --local-drift)
expect_match "its advice says owner unknown, in flight included" \
	"^owner unknown: .*SCM_RIGHTS" \
	"$(jq -r '.findings[] | select(.id == "tcp/0.0.0.0/7302/local-only") | .advice' <<<"$json")"
finish
