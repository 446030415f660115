#!/bin/bash
# SPDX-License-Identifier: ISC
# One command-line parser for every mode: options in any order, before or
# after the mode, --opt=value and --opt value, subcommand aliases, --help
# and --version anywhere.  Each form is run and its stdout, stderr and exit
# code compared with the documented order's.  One-shot modes print only
# their result: info lines only with -v.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/d"
cat >"$T/native.conf" <<EOF
include = "d"
service echo {
	internal = yes
	protocol = tcp
	bind = "127.0.0.1"
	port = 7407
	user = nobody
}
EOF
echo "not a config" >"$T/d/README"
cat >"$T/inetd.conf" <<EOF
127.0.0.1:7413 stream tcp nowait nobody internal daytime
EOF

# wait_gone PID: bounded wait until PID has exited.
wait_gone() {
	local i
	for i in $(seq 1 100); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

# run NAME ARGS...: stdout, stderr and the exit code of superd ARGS.
run() {
	local name=$1
	shift
	"$SUPERD" "$@" >"$T/$name.out" 2>"$T/$name.err"
	echo $? >"$T/$name.rc"
}

# same WHAT REF NAME...: each run NAME printed and exited as run REF did.
same() {
	local what=$1 ref=$2 n
	shift 2
	for n in "$@"; do
		if cmp -s "$T/$ref.out" "$T/$n.out" && cmp -s "$T/$ref.err" \
		    "$T/$n.err" && cmp -s "$T/$ref.rc" "$T/$n.rc"; then
			pass "$what: form $n as $ref"
		else
			fail "$what: form $n differs from $ref: rc $(cat "$T/$n.rc") vs $(cat "$T/$ref.rc"); $(diff "$T/$ref.out" "$T/$n.out" | head -3) $(cat "$T/$n.err" | head -2)"
		fi
	done
}

C=$T/native.conf
# -t / check
run t0 -t -c "$C"
run t1 -c "$C" -t
run t2 --check-config --config="$C"
run t3 --config "$C" --check-config
run t4 check -c "$C"
run t5 -c "$C" check
run t6 check --config="$C"
expect_eq "-t exits 0" 0 "$(cat "$T/t0.rc")"
expect_match "-t prints the table and the summary" "native.conf: OK, 1 endpoints" "$(cat "$T/t0.out")"
expect_eq "-t prints nothing on stderr (no include info line)" "" "$(cat "$T/t0.err")"
same "-t" t0 t1 t2 t3 t4 t5 t6

# -v: the info lines come back
run tv -t -v -c "$C"
expect_match "-t -v: info lines on stderr" "include .*README: skipped" "$(cat "$T/tv.err")"
run tv2 --verbose check -c "$C"
same "-v" tv tv2

# --list
run l0 --list --json -c "$C"
run l1 -c "$C" --json --list
run l2 --format=json --list --config="$C"
run l3 list --json -c "$C"
run l4 list -c "$C" --format json
run l5 --config="$C" list --format=json
expect_eq "--list --json exits 0" 0 "$(cat "$T/l0.rc")"
check "--list --json is JSON" quietly jq -e '.[0].name == "echo"' "$T/l0.out"
expect_eq "--list prints nothing on stderr" "" "$(cat "$T/l0.err")"
same "--list" l0 l1 l2 l3 l4 l5
run lt0 --list -c "$C"
run lt1 list --format=text -c "$C"
same "--list text" lt0 lt1

# --config-format and --format by value
run f0 -t --config-format=inetd -c "$T/inetd.conf"
run f1 -t --format inetd -c "$T/inetd.conf"
run f2 --format=inetd check --config "$T/inetd.conf"
expect_eq "--config-format inetd exits 0" 0 "$(cat "$T/f0.rc")"
same "--format inetd" f0 f1 f2
run f3 -t --format native -c "$T/inetd.conf"
expect_eq "--format native on an inetd.conf fails" 1 "$(cat "$T/f3.rc")"
run f4 -t --format=json -c "$C"
expect_eq "--format json with -t is a usage error" 2 "$(cat "$T/f4.rc")"
expect_match "which says what --format takes" "inetd or native" "$(cat "$T/f4.err")"
run f5 --list --format prometheus -c "$C"
expect_eq "--format prometheus with --list is a usage error" 2 "$(cat "$T/f5.rc")"
run f6 --config-format=json -t -c "$C"
expect_eq "--config-format json is a usage error" 2 "$(cat "$T/f6.rc")"

# --selfcheck, against a daemon serving the config
start_superd "$C" || exit 1
run s0 --selfcheck -c "$C" --format=json --proto=tcp --no-probe
run s1 -c "$C" --selfcheck --format json --proto tcp --no-probe
run s2 --format=json --proto=tcp --selfcheck --config="$C" --no-probe
run s3 selfcheck -c "$C" --json --proto tcp --no-probe
run s4 --no-probe selfcheck --proto=tcp --json --config "$C"
run s5 --proto tcp --no-probe -c "$C" --json selfcheck
for n in s0 s1 s2 s3 s4 s5; do	# the duration and timestamp differ
	jq -S 'del(.probe.udp.elapsed_ms)' "$T/$n.out" >"$T/$n.json" 2>/dev/null
	mv "$T/$n.json" "$T/$n.out"
done
expect_eq "--selfcheck -c FILE exits 0 (OK)" 0 "$(cat "$T/s0.rc")"
expect_eq "--selfcheck -c FILE prints nothing on stderr" "" "$(cat "$T/s0.err")"
check "--selfcheck -c FILE audits that file's service" \
	quietly jq -e '.status == "OK" and ([.findings[] | select(.kind == "ok" and .port == 7407)] | length == 1)' "$T/s0.out"
same "--selfcheck" s0 s1 s2 s3 s4 s5

# The commands to the running daemon, through the same parser.
CTL=$T/control
stop_superd
start_superd "$C" --control "$CTL" || exit 1
run k0 status --json --control "$CTL"
run k1 --control="$CTL" status --json
run k2 --json --control "$CTL" status
run k3 status --control="$CTL" --format=json
run k4 -v status --format json --control "$CTL"
for n in k0 k1 k2 k3 k4; do	# ages and times move: compare the services
	jq -S '[.services[] | {name, state}]' "$T/$n.out" >"$T/$n.json" 2>/dev/null
	mv "$T/$n.json" "$T/$n.out"
done
expect_eq "status --json exits 0" 0 "$(cat "$T/k0.rc")"
check "status --json lists the service" quietly jq -e '.[0].name == "echo"' "$T/k0.out"
same "status" k0 k1 k2 k3 k4
run r0 reload --control "$CTL"
run r1 --control="$CTL" reload
expect_eq "reload exits 0" 0 "$(cat "$T/r0.rc")"
expect_eq "reload (options first) exits 0" 0 "$(cat "$T/r1.rc")"
run k5 reload --json --control "$CTL"
expect_eq "reload --json is a usage error" 2 "$(cat "$T/k5.rc")"
run k6 status --control -
expect_eq "a command with --control - exits 2" 2 "$(cat "$T/k6.rc")"
expect_match "and says there is no socket to ask" "no control socket" "$(cat "$T/k6.err")"
run k7 --control "$CTL" stop
expect_eq "stop (options first) exits 0" 0 "$(cat "$T/k7.rc")"
check "the daemon is gone" wait_gone "$SUPERD_PID"
SUPERD_PID=
run se0 --selfcheck --proto=bogus -c "$C"
run se1 -c "$C" --proto bogus selfcheck
expect_eq "--selfcheck with a bad option exits 3 (UNKNOWN)" 3 "$(cat "$T/se0.rc")"
expect_match "and says which" "--proto bogus: invalid value" "$(cat "$T/se0.err")"
same "--selfcheck usage error" se0 se1
run se2 -t --proto tcp -c "$C"
expect_eq "an audit option without --selfcheck exits 2" 2 "$(cat "$T/se2.rc")"
expect_match "and says so" "--proto: only with --selfcheck" "$(cat "$T/se2.err")"

# --convert
cat >"$T/xinetd.conf" <<EOF
service daytime
{
	type		= INTERNAL
	socket_type	= stream
	wait		= no
	max_load	= 2
}
EOF
run c0 --convert "$T/xinetd.conf"
run c1 convert "$T/xinetd.conf"
run c2 -v --convert="$T/xinetd.conf" -v
expect_eq "--convert exits 0" 0 "$(cat "$T/c0.rc")"
same "--convert" c0 c1 c2
run c3 --strict --convert "$T/xinetd.conf"
run c4 convert "$T/xinetd.conf" --strict
run c5 --convert="$T/xinetd.conf" --strict
expect_eq "--convert --strict with a setting dropped exits 1" 1 "$(cat "$T/c3.rc")"
same "--convert --strict" c3 c4 c5
run c6 -t --strict -c "$C"
expect_eq "--strict without --convert exits 2" 2 "$(cat "$T/c6.rc")"

# --help and --version anywhere
run h0 --help
run h1 -c "$C" --help
run h2 --selfcheck --help
run h3 check --help
run h4 --convert "$T/xinetd.conf" -h
run h5 list -h --json
expect_eq "--help exits 0" 0 "$(cat "$T/h0.rc")"
expect_match "--help names the audit options" "--udp-deadline" "$(cat "$T/h0.out")"
same "--help" h0 h1 h2 h3 h4 h5
run v0 --version
run v1 --selfcheck -V
run v2 -c "$C" check --version
expect_match "--version prints it" "^superd [0-9]" "$(cat "$T/v0.out")"
same "--version" v0 v1 v2

# usage errors
run u0 -t --list -c "$C"
expect_eq "two modes exit 2" 2 "$(cat "$T/u0.rc")"
expect_match "naming both" "-t and --list" "$(cat "$T/u0.err")"
run u1 frobnicate
expect_eq "an unknown command exits 2" 2 "$(cat "$T/u1.rc")"
run u2 convert
expect_match "convert without a path says so" "which file" "$(cat "$T/u2.err")"

# -d: the word after "internal" is named as what selects the builtin
printf '127.0.0.1:7413 stream tcp nowait nobody internal daytime extra\n' >"$T/sel.conf"
out=$("$SUPERD" -d -t -c "$T/sel.conf" 2>&1)
expect_match "-d says which builtin the word selected" "builtin daytime selected" "$out"
expect_match "-d says the words after it are ignored" "arguments of internal service 7413 ignored" "$out"
printf '127.0.0.1:daytime stream tcp nowait nobody internal\n' >"$T/sel2.conf"
out=$("$SUPERD" -d -t -c "$T/sel2.conf" 2>&1)
if printf '%s' "$out" | grep -q "ignored\|selected"; then
	fail "a builtin named by its service has nothing to report: $out"
else
	pass "a builtin named by its service has nothing to report"
fi

finish
