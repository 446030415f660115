#!/bin/bash
# SPDX-License-Identifier: ISC
# Start with only nobody services, then reload to add a root service: its
# child gets exactly the privileges (CapEff, CapBnd) the same service gets
# after a fresh start, and can write a file only root's privileges allow
# (owned by nobody, mode 0600: CAP_DAC_OVERRIDE).  No reload warns about
# capabilities it does not lack.
. "$(dirname "$0")/lib.sh"

cat >"$T/nobody.conf" <<CONF
127.0.0.1:7601 stream tcp nowait nobody /bin/echo echo one
CONF
cat "$T/nobody.conf" >"$T/both.conf"
cat >>"$T/both.conf" <<CONF
127.0.0.1:7602 stream tcp nowait root $HELPERS/report report
127.0.0.1:7603 stream tcp nowait root /bin/sh sh $T/write.sh
CONF
cat >"$T/write.sh" <<CONF
echo written >$T/owned-by-nobody && cat $T/owned-by-nobody
CONF
: >"$T/owned-by-nobody"
chown nobody "$T/owned-by-nobody"
chmod 600 "$T/owned-by-nobody"

# caps PORT: the CapEff and CapBnd lines of the child on PORT.
caps() {
	nc -d -w2 127.0.0.1 "$1" | grep -E '^Cap(Eff|Bnd):' | tr '\n' ' '
}

cp "$T/nobody.conf" "$T/live.conf"
start_superd "$T/live.conf" || exit 1
cp "$T/both.conf" "$T/live.conf"
kill -HUP "$SUPERD_PID"
check "the reload adding root services succeeds" wait_log 'event=reload result=ok kept=1 opened=2'
check "the added root service is logged with its privileges" \
	grep -q 'event=listen service=7602 endpoint=127.0.0.1:7602/tcp privileges=root$' "$LOG"
after_reload=$(caps 7602)
expect_eq "the root child added by a reload can write a file owned by nobody" \
	written "$(nc -d -w2 127.0.0.1 7603)"
expect_eq "no reload warns about capabilities" 0 "$(grep -c 'event=priv lacking' "$LOG")"
stop_superd

: >"$T/owned-by-nobody"
start_superd "$T/both.conf" || exit 1
fresh=$(caps 7602)
check "the root child reports its capabilities ($fresh)" test -n "$fresh"
expect_eq "CapEff and CapBnd after a reload equal those after a fresh start" \
	"$fresh" "$after_reload"
expect_eq "the root child after a fresh start can write it too" \
	written "$(nc -d -w2 127.0.0.1 7603)"
expect_match "a root child has root's privileges: the host's bounding set" \
	"CapBnd:	$(awk '/^CapBnd/ {print $2}' /proc/self/status)" "$fresh"
finish
