#!/bin/bash
# SPDX-License-Identifier: ISC
# reload_on_change = yes and NetBSD's ".include GLOB": a file that appears
# later in the glob's directory (closed after writing, or renamed into
# place) is served without a manual reload, one removed is closed, a
# half-written one is never read, a name the glob does not match changes
# nothing, and a broken new file fails the reload (logged) while the old
# services keep answering.
. "$(dirname "$0")/lib.sh"

mkdir "$T/inetd.d"
cat >"$T/inetd.conf" <<CONF
127.0.0.1:7611 stream tcp nowait nobody /bin/echo echo one
.include inetd.d/*.conf
CONF
cat >"$T/superd.conf" <<CONF
reload_on_change = yes
inetd_conf = "$T/inetd.conf"
CONF
start_superd "$T/superd.conf" || exit 1
expect_eq "served at start" one "$(nc -d -w2 127.0.0.1 7611)"
check "the glob's directory is watched" wait_log 'event=watch state=on directories=2'

reloads() { grep -c 'event=reload result=ok' "$LOG"; }
failed() { grep -c 'event=reload result=failed' "$LOG"; }
# wait_reload N: wait (bounded) until more than N reloads are logged.
wait_reload() {
	local i
	for i in $(seq 1 100); do [ "$(reloads)" -gt "$1" ] && return 0; sleep 0.05; done
	return 1
}

# A new file written in place: only its close counts.
n=$(reloads)
exec 3>"$T/inetd.d/two.conf"
printf '127.0.0.1:7612 stream tcp now' >&3
sleep 1
expect_eq "a half-written new file is not read" "$n" "$(reloads)"
expect_eq "and no reload failed on it" 0 "$(failed)"
printf 'ait nobody /bin/echo echo two\n' >&3
exec 3>&-
check "a new file matching the glob reloads" wait_reload "$n"
expect_eq "the new file's service answers" two "$(nc -d -w2 127.0.0.1 7612)"

# A file renamed into the directory (as update-inetd and editors write).
n=$(reloads)
echo "127.0.0.1:7613 stream tcp nowait nobody /bin/echo echo three" >"$T/three.tmp"
mv "$T/three.tmp" "$T/inetd.d/three.conf"
check "a file renamed into the directory reloads" wait_reload "$n"
expect_eq "its service answers" three "$(nc -d -w2 127.0.0.1 7613)"

# A name the glob does not match: no reload.
n=$(reloads)
echo "127.0.0.1:7614 stream tcp nowait nobody /bin/echo echo four" >"$T/inetd.d/four.disabled"
sleep 1
expect_eq "a file the glob does not match changes nothing" "$n" "$(reloads)"
expect_eq "and is not served" "" "$(ss -ltnH 'sport = :7614')"

# A removed file: its service is closed.
n=$(reloads)
rm "$T/inetd.d/three.conf"
check "a file removed from the directory reloads" wait_reload "$n"
expect_eq "its service is closed" "" "$(ss -ltnH 'sport = :7613')"

# A broken new file: the reload fails, says why, the old services stay.
echo "127.0.0.1:7615 stream tcp nowait nosuchuser-x /bin/echo echo five" >"$T/five.tmp"
mv "$T/five.tmp" "$T/inetd.d/five.conf"
check "a broken new file fails the reload" wait_log 'event=reload result=failed'
check "the log names the file and line" grep -q "inetd.d/five.conf:1:.*nosuchuser-x" "$LOG"
expect_eq "the old services still answer" one "$(nc -d -w2 127.0.0.1 7611)"
expect_eq "the one from the glob too" two "$(nc -d -w2 127.0.0.1 7612)"
expect_eq "the broken one is not served" "" "$(ss -ltnH 'sport = :7615')"

# Fixed by removing it: the next reload is good again.
n=$(reloads)
rm "$T/inetd.d/five.conf"
check "removing the broken file reloads cleanly" wait_reload "$n"
expect_eq "the services still answer" two "$(nc -d -w2 127.0.0.1 7612)"
finish
