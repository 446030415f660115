#!/bin/bash
# SPDX-License-Identifier: ISC
# A nowait command service run as nobody:nogroup: exactly its uid, gid and
# groups, no capabilities, fds 0-2 only, default signals, clean environment
# with the UCSPI variables.
. "$(dirname "$0")/lib.sh"
private_copies

printf '\177ELF garbage' >"$T/badexec"
chmod 755 "$T/badexec"
cat >"$T/inetd.conf" <<CONF
127.0.0.1:2000 stream tcp nowait nobody:nogroup $HELPERS/report report
127.0.0.1:2001 stream tcp nowait root $HELPERS/report report
127.0.0.1:2003 stream tcp nowait nobody $T/badexec badexec
127.0.0.1:2002 stream tcp nowait daemon.daemon $HELPERS/report my-report one two
127.0.0.1:2004 stream tcp nowait daemon $HELPERS/report report
CONF
# daemon gets two supplementary groups, in this test's own /etc/group.
awk -F: -v OFS=: '$1 == "audio" || $1 == "video" { $4 = $4 ($4 == "" ? "" : ",") "daemon" } 1' \
	/etc/group >"$T/group"
mount --bind "$T/group" /etc/group
# Regression: signals ignored by whoever started superd (make ignores the
# glibc-reserved 32 and 33) were inherited by children as ignored.
trap '' USR2 34
PATH_SECRET=leak start_superd "$T/inetd.conf" || exit 1
trap - USR2 34

out=$(nc -d -w2 127.0.0.1 2000)
nobody=$(id -u nobody)
nogroup=$(getent group nogroup | cut -d: -f3)
expect_match "child uid is nobody" "^Uid:	$nobody	$nobody	$nobody	$nobody" "$(grep ^Uid <<<"$out")"
expect_match "child gid is nogroup" "^Gid:	$nogroup	$nogroup	$nogroup	$nogroup" "$(grep ^Gid <<<"$out")"
expect_eq "child groups are nobody's" "Groups:	$(id -G nobody | tr ' ' '\n' | sort -n | tr '\n' ' ')" \
	"$(grep ^Groups <<<"$out" | tr -s ' ')"
for set in CapInh CapPrm CapEff CapAmb; do
	expect_eq "non-root child $set is empty" "$set:	0000000000000000" "$(grep ^$set <<<"$out")"
done
expect_eq "child has only fds 0-2" "fds=0 1 2 " "$(grep ^fds= <<<"$out")"
expect_eq "child signal mask empty" "SigBlk:	0000000000000000" "$(grep ^SigBlk <<<"$out")"
expect_eq "child ignores no signal, even ones ignored by superd's parent" "SigIgn:	0000000000000000" "$(grep ^SigIgn <<<"$out")"
expect_eq "PROTO" "env PROTO=TCP" "$(grep '^env PROTO=' <<<"$out")"
expect_eq "TCPLOCALIP" "env TCPLOCALIP=127.0.0.1" "$(grep '^env TCPLOCALIP=' <<<"$out")"
expect_eq "TCPLOCALPORT" "env TCPLOCALPORT=2000" "$(grep '^env TCPLOCALPORT=' <<<"$out")"
expect_eq "TCPREMOTEIP" "env TCPREMOTEIP=127.0.0.1" "$(grep '^env TCPREMOTEIP=' <<<"$out")"
expect_match "TCPREMOTEPORT" '^env TCPREMOTEPORT=[0-9]+$' "$(grep '^env TCPREMOTEPORT=' <<<"$out")"
expect_eq "environment is cleaned" "" "$(grep PATH_SECRET <<<"$out")"

out=$(nc -d -w2 127.0.0.1 2001)
expect_match "root child keeps root's privileges" "^CapEff:	0*1ff" "$(grep ^CapEff <<<"$out")"
expect_eq "root child has only fds 0-2" "fds=0 1 2 " "$(grep ^fds= <<<"$out")"

out=$(nc -d -w2 127.0.0.1 2002)
expect_eq "argv is passed as written, argv[0] first" "argv=my-report one two" "$(grep ^argv= <<<"$out")"
expect_match "user.group form sets the gid" "^Gid:	$(getent group daemon | cut -d: -f3)	" "$(grep ^Gid <<<"$out")"

out=$(nc -d -w2 127.0.0.1 2004)
want=$(printf '%s\n' "$(id -g daemon)" "$(getent group audio | cut -d: -f3)" \
	"$(getent group video | cut -d: -f3)" | sort -n | tr '\n' ' ')
expect_eq "child has the user's supplementary groups from the group database" \
	"Groups:	$want" "$(grep ^Groups <<<"$out" | tr -s ' ')"
expect_eq "the daemon looked users and groups up without loading an NSS module" \
	"" "$(grep -o 'libnss_[a-z]*' /proc/"$SUPERD_PID"/maps | sort -u | tr '\n' ' ')"

check "start and end are logged with pid and status" \
	wait_log 'service=2000 event=end peer=127.0.0.1 pid=[0-9]+ exit=0 duration_ms=[0-9]+'
nc -d -w2 127.0.0.1 2003
check "a child that cannot exec exits with a distinct code, logged" \
	wait_log 'service=2003 event=end peer=127.0.0.1 pid=[0-9]+ exit=125 setup_failed=exec'
finish
