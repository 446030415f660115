#!/bin/bash
# SPDX-License-Identifier: ISC
# reload_on_change = yes: a changed configuration takes effect without a
# manual step: a file
# renamed over the config (as update-inetd and sed -i write it), a file
# closed after writing, a new *.conf in an included directory.  A file
# still open for writing is never read half-written.
. "$(dirname "$0")/lib.sh"

cat >"$T/inetd.conf" <<CONF
127.0.0.1:7601 stream tcp nowait nobody /bin/echo echo one
CONF
mkdir "$T/superd.d"
cat >"$T/superd.conf" <<CONF
reload_on_change = yes
inetd_conf = "$T/inetd.conf"
include = "$T/superd.d"
CONF
start_superd "$T/superd.conf" || exit 1
expect_eq "served at start" one "$(nc -d -w2 127.0.0.1 7601)"
check "the files are watched" wait_log 'event=watch state=on directories=2'

# reloads: how many reloads the log shows.
reloads() { grep -c 'event=reload result=ok' "$LOG"; }

# As update-inetd writes: a finished copy renamed over the file.
n=$(reloads)
cp "$T/inetd.conf" "$T/inetd.conf.new"
echo "127.0.0.1:7602 stream tcp nowait nobody /bin/echo echo two" >>"$T/inetd.conf.new"
mv "$T/inetd.conf.new" "$T/inetd.conf"
check "a file renamed into place is reloaded" \
	wait_log 'event=config-changed action=reload'
for i in $(seq 1 100); do [ "$(reloads)" -gt "$n" ] && break; sleep 0.05; done
expect_eq "the added service answers" two "$(nc -d -w2 127.0.0.1 7602)"

# A file still open for writing is not read: half a line would be an error.
n=$(reloads)
exec 3>>"$T/inetd.conf"
printf '127.0.0.1:7603 stream tcp now' >&3
sleep 1
expect_eq "no reload while the file is open for writing" "$n" "$(reloads)"
expect_eq "and no failed reload either" 0 "$(grep -c 'event=reload result=failed' "$LOG")"
printf 'ait nobody /bin/echo echo three\n' >&3
exec 3>&-
for i in $(seq 1 100); do [ "$(reloads)" -gt "$n" ] && break; sleep 0.05; done
expect_eq "once closed, the whole line is served" three "$(nc -d -w2 127.0.0.1 7603)"

# A new *.conf in an included directory.
n=$(reloads)
cat >"$T/superd.d/four.tmp" <<CONF
service four {
	port = 7604
	protocol = tcp4
	bind = "127.0.0.1"
	user = nobody
	server = /bin/echo
	server_args = {"four"}
}
CONF
mv "$T/superd.d/four.tmp" "$T/superd.d/four.conf"
for i in $(seq 1 100); do [ "$(reloads)" -gt "$n" ] && break; sleep 0.05; done
expect_eq "a drop-in file is served" four "$(nc -d -w2 127.0.0.1 7604)"

# sed -i (a temp file renamed) disables a line.
n=$(reloads)
sed -i 's/^127.0.0.1:7602/#&/' "$T/inetd.conf"
for i in $(seq 1 100); do [ "$(reloads)" -gt "$n" ] && break; sleep 0.05; done
expect_eq "a commented-out service is closed" "" "$(ss -ltnH 'sport = :7602')"
expect_eq "the others stay" one "$(nc -d -w2 127.0.0.1 7601)"

# A broken edit keeps the old services, as a bad SIGHUP does.
n_failed=$(grep -c 'event=reload result=failed' "$LOG")
echo "127.0.0.1:7605 stream tcp nowait nosuchuser-x /bin/echo echo" >>"$T/inetd.conf"
check "a broken file is refused" wait_log 'event=reload result=failed'
expect_eq "the old services still answer" one "$(nc -d -w2 127.0.0.1 7601)"

# reload_on_change = no (the default), set by a reload: changes wait for
# SIGHUP again.
sed -i '/^127.0.0.1:7605/d' "$T/inetd.conf"
sed -i 's/^reload_on_change = yes/reload_on_change = no/' "$T/superd.conf"
check "the watch stops with the reload that turns it off" \
	wait_log 'event=watch state=off'
n=$(reloads)
echo "127.0.0.1:7606 stream tcp nowait nobody /bin/echo echo six" >>"$T/inetd.conf"
sleep 1
expect_eq "with reload_on_change = no a change waits" "$n" "$(reloads)"
kill -HUP "$SUPERD_PID"
for i in $(seq 1 100); do [ "$(reloads)" -gt "$n" ] && break; sleep 0.05; done
expect_eq "until SIGHUP" six "$(nc -d -w2 127.0.0.1 7606)"
finish
