#!/bin/bash
# SPDX-License-Identifier: ISC
# A stray listener whose command name is not UTF-8 and holds an ANSI escape
# and a forged "sev=OK" field, run from a path that readlink cuts in the
# middle of a character at 255 bytes: every report still names it.  The
# Prometheus output passes `promtool check metrics`, the JSON parses and
# keeps the owner (U+FFFD for the bad bytes, comm_text lossless), the text
# report and the daemon's log show \x1b and \xff alike, and the log quotes
# the owner so the name forges no field.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/selfcheck_lib.bash"
[ -x "$HELPERS/strayname" ] || skip "no strayname helper in $HELPERS"

# The helper's copy: byte 255 of its path is the 2nd byte of an "é".
dir=$T/
[ $(((254 - ${#dir}) % 2)) -eq 0 ] || dir=${dir}x
name=
for i in $(seq 120); do name=$name$'\xc3\xa9'; done
mkdir -p "$dir$name"
cp "$HELPERS/strayname" "$dir$name/strayname"
EXE=$dir$name/strayname
COMM=$'\x1b[31m\xff sev=OK'
# The text form of COMM, as the text report, the log and Prometheus show it.
COMM_TEXT='\x1b[31m\xff sev=OK'

periodic_conf "$T/superd.conf"
start_superd "$T/superd.conf" || exit 1
check "audit runs right after start" wait_log 'selfcheck: status=OK' 120

"$EXE" "$COMM" 7777 >"$T/stray.out" &
STRAY=$!
for i in $(seq 100); do
	grep -q ready "$T/stray.out" && break
	sleep 0.05
done
check "the stray listener carries the hostile name" \
	cmp -s <(printf '%s\n' "$COMM") "/proc/$STRAY/comm"

# JSON: parses, and keeps the owner with its name and path made UTF-8.
json=$("$SUPERD" -c "$T/superd.conf" --selfcheck --json --proto tcp)
expect_eq "the audit finds the stray (exit 2)" 2 $?
check "the JSON parses" jq -e . >/dev/null <<<"$json"
id=tcp/0.0.0.0/7777/exposed
expect_eq "JSON keeps the owner" "$STRAY" "$(f $id '.socket.owners[0].pid')"
expect_eq "JSON comm: controls kept as JSON escapes, bad byte U+FFFD" \
	$'\x1b[31m\xef\xbf\xbd sev=OK' "$(f $id '.socket.owners[0].comm')"
exe=$(f $id '.socket.owners[0].exe')
expect_eq "JSON exe: the path cut at 255 bytes ends in U+FFFD" \
	"$(printf '%s' "$EXE" | head -c 254)"$'\xef\xbf\xbd' "$exe"
expect_eq "JSON says the exe path is cut" true \
	"$(f $id '.socket.owners[0].exe_truncated')"

# Prometheus: a valid exposition whose owner label is the text form.
prom=$("$SUPERD" -c "$T/superd.conf" --selfcheck --format prometheus \
	--proto tcp)
if command -v promtool >/dev/null; then
	out=$(promtool check metrics <<<"$prom" 2>&1)
	expect_eq "promtool check metrics accepts it" "0 " "$? $out"
else
	fail "promtool is not installed (Debian package prometheus)"
fi
expect_match "the owner label holds the escaped name" \
	"finding=\"exposed\".*owner=\"\\\\\\\\x1b\\[31m\\\\\\\\xff sev=OK\",pid=\"$STRAY\"" \
	"$prom"
check "no control byte in the exposition" \
	bash -c '! LC_ALL=C grep -q "[[:cntrl:]]" <<<"$1"' - "${prom//$'\n'/}"
check "the exposition is valid UTF-8" iconv -f UTF-8 -t UTF-8 <<<"$prom" -o /dev/null

# Text: the name in its text form, no raw escape.
text=$("$SUPERD" -c "$T/superd.conf" --selfcheck --proto tcp)
expect_match "text shows the name escaped" \
	"0\.0\.0\.0:7777 .*exposed .*$STRAY/\\\\x1b\\[31m\\\\xff sev=OK\(root\)" "$text"
expect_match "the advice names the cut path as cut" \
	"^  advice: .*kill $STRAY \(\\\\x1b\[31m\\\\xff sev=OK, $T/.*\\\\xc3\.\.\.\)" \
	"$(grep -A1 '^0\.0\.0\.0:7777 ' <<<"$text" | tail -1)"
expect_match "the owner line quotes the escaped name in its ancestry" \
	"^  owner $STRAY: .*; \"\\\\x1b\[31m\\\\xff sev=OK\"\($STRAY\) <- .*$(ancestry_tail 1)" "$text"
check "text holds no escape byte" \
	bash -c '! grep -q $'"'"'\x1b'"'"' <<<"$1"' - "$text"

# The daemon's log: the owner quoted, so "sev=OK" is no field of its own,
# and escaped as the text report does: the bad byte \xff, not the U+FFFD
# of the child's JSON (the daemon restores the bytes from comm_text).
check "the periodic audit logs the stray" wait_log 'finding=exposed.*7777' 120
line=$(grep 'finding=exposed.*7777' "$LOG")
expect_match "the log quotes the escaped owner, \\xff as the text shows it" \
	"owner=\"$STRAY/\\\\x1b\\[31m\\\\xff sev=OK\" severity=CRITICAL" "$line"
check "the log holds no escape byte" \
	bash -c '! grep -q $'"'"'\x1b'"'"' "$1"' - "$LOG"
kill "$STRAY"
wait "$STRAY" 2>/dev/null
finish
