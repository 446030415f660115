#!/bin/bash
# SPDX-License-Identifier: ISC
# superd --selfcheck reads every socket family the kernel can show: a
# UDP-lite listener, an MPTCP listener and an SCTP one are judged like TCP
# and UDP ones (exposed, owner named, the protocol in text, JSON and
# Prometheus); a family this kernel lacks (SCTP, DCCP here, perhaps) is
# named as not read, with why, never silently left out.
# Runs in its own network namespace with a veth to a peer namespace.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/selfcheck_lib.bash"
command -v python3 >/dev/null || skip "python3 is not installed"

CONF=$T/families.conf
: >"$CONF"
export T
# One process binds what this kernel allows, and writes which it bound.
python3 - <<'PY' &
import os, socket, time
keep, got = [], []
def bind(name, fam, typ, proto, addr, port, listen):
    try:
        s = socket.socket(fam, typ, proto)
        s.bind((addr, port))
        if listen:
            s.listen()
    except OSError as e:
        got.append("%s=no:%s" % (name, e.strerror))
        return
    keep.append(s)
    got.append("%s=yes" % name)
bind("udplite", socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDPLITE,
     "0.0.0.0", 7101, False)
bind("mptcp", socket.AF_INET, socket.SOCK_STREAM, 262, "0.0.0.0", 7102, True)
bind("sctp", socket.AF_INET, socket.SOCK_STREAM, 132, "0.0.0.0", 7103, True)
bind("dccp", socket.AF_INET, 6, 33, "0.0.0.0", 7104, True)
with open(os.environ["T"] + "/bound.tmp", "w") as f:
    f.write("\n".join(got) + "\n")
os.rename(os.environ["T"] + "/bound.tmp", os.environ["T"] + "/bound")
time.sleep(600)
PY
HOLDER=$!
for i in $(seq 100); do
	[ -s "$T/bound" ] && break
	sleep 0.05
done
[ -s "$T/bound" ] || { kill "$HOLDER"; skip "python3 bound nothing"; }
bound() { grep -q "^$1=yes" "$T/bound"; }
sed "s/^/note: /" "$T/bound"

json=$("$SUPERD" -c "$CONF" --selfcheck --json)
rc=$?
text=$("$SUPERD" -c "$CONF" --selfcheck --no-probe)
prom=$("$SUPERD" -c "$CONF" --selfcheck --format prometheus)

expect_eq "the UDP-lite listener is exposed, owner named" \
	"exposed/CRITICAL/$HOLDER" \
	"$(f udplite/0.0.0.0/7101/exposed '"\(.kind)/\(.severity)/\(.socket.owners[0].pid)"')"
expect_match "the text names it udplite with its owner" \
	"0\.0\.0\.0:7101 +udplite .* exposed .* $HOLDER/python3" "$text"
expect_match "Prometheus labels it udplite" \
	'superd_selfcheck_finding\{proto="udplite",address="0.0.0.0",port="7101",finding="exposed"' \
	"$prom"
expect_eq "the audit is CRITICAL" 2 "$rc"

# family NAME PORT: judged with its owner if this kernel has it, else
# named as not read (text, JSON, Prometheus), with the reason.
family() {
	local name=$1 port=$2 state
	state=$(jq -r ".kernel.families.$name.state" <<<"$json")
	if bound "$name"; then
		expect_eq "$name: the table is read" read "$state"
		expect_eq "$name: the listener is exposed, owner named" \
			"exposed/$HOLDER/python3" \
			"$(f "$name/0.0.0.0/$port/exposed" '"\(.kind)/\(.socket.owners[0].pid)/\(.socket.owners[0].comm)"')"
		expect_match "$name: the text names it with its owner" \
			"0\.0\.0\.0:$port +$name .* exposed .* $HOLDER/python3" "$text"
		expect_match "$name: Prometheus labels it" \
			"superd_selfcheck_finding\{proto=\"$name\",address=\"0.0.0.0\",port=\"$port\"" \
			"$prom"
	else
		echo "note: this kernel refuses a $name socket: $(grep "^$name=" "$T/bound")"
		expect_match "$name: JSON says it was not read" \
			'^(not in this kernel|unreadable|read as tcp)$' "$state"
		expect_match "$name: JSON says why" '.' \
			"$(jq -r ".kernel.families.$name.reason // empty" <<<"$json")"
		expect_match "$name: the text says it could not be read" \
			"^TABLE sock_diag: .*could not read .*$name \(" "$text"
		expect_match "$name: Prometheus says it was not read" \
			"superd_selfcheck_family_read\{proto=\"$name\",state=\"[^\"]*\"\} 0" \
			"$prom"
	fi
}
family mptcp 7102
family sctp 7103
family dccp 7104

# An MPTCP listener listens through a TCP subflow: one finding, not two.
if bound mptcp; then
	expect_eq "the MPTCP listener is one finding, not a tcp one besides" "" \
		"$(f tcp/0.0.0.0/7102/exposed .kind)"
fi

# /proc/net: UDP-lite is read there too; MPTCP is seen through TCP.
json=$(SUPERD_SELFCHECK_PROCFS=1 "$SUPERD" -c "$CONF" --selfcheck --json --no-probe)
expect_eq "/proc/net: the UDP-lite listener is found with its owner" \
	"exposed/$HOLDER" \
	"$(f udplite/0.0.0.0/7101/exposed '"\(.kind)/\(.socket.owners[0].pid)"')"
if bound mptcp; then
	expect_eq "/proc/net: MPTCP is said to be read as tcp" "read as tcp" \
		"$(jq -r .kernel.families.mptcp.state <<<"$json")"
	expect_eq "/proc/net: its listener is still found, owner named" \
		"exposed/$HOLDER" \
		"$(f tcp/0.0.0.0/7102/exposed '"\(.kind)/\(.socket.owners[0].pid)"')"
fi

kill "$HOLDER"
wait "$HOLDER" 2>/dev/null
"$SUPERD" -c "$CONF" --selfcheck >/dev/null
expect_eq "once they are gone the audit is OK" 0 $?
finish
