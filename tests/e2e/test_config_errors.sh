#!/bin/bash
# SPDX-License-Identifier: ISC
# A malformed config names file:line and the field, exits non-zero and
# opens nothing; --check-config validates without serving.
. "$(dirname "$0")/lib.sh"

cat >"$T/bad.conf" <<CONF
127.0.0.1:7400 stream tcp nowait root internal
127.0.0.1:echo stream tcp nowait root internal
127.0.0.1:7401 stream tcp nowait nosuchuser /bin/cat cat
CONF
out=$("$SUPERD" -f -p - -c "$T/bad.conf" 2>&1)
rc=$?
check "bad config exits non-zero" test "$rc" -ne 0
expect_match "error names file:line and the field" "bad.conf:1: .*(server|internal)" "$out"
expect_match "every bad line is reported" "bad.conf:3: .*user" "$out"
expect_eq "nothing is listening" "" "$(ss -ltnuH)"

printf '127.0.0.1:echo stream tcp nowait root internal\n127.0.0.1:echo stream tcp nowait root internal\n' >"$T/dup.conf"
out=$("$SUPERD" -t -c "$T/dup.conf" 2>&1)
check "duplicate endpoint is an error" test $? -ne 0
expect_match "duplicate endpoint names both lines" "dup.conf:2: .*already declared .*dup.conf:1" "$out"

# A bind failure on one endpoint opens none of them.
nc -l 127.0.0.1 7403 &
holder=$!
sleep 0.2
printf '127.0.0.1:echo stream tcp nowait root internal\n127.0.0.1:7403 stream tcp nowait root /bin/cat cat\n' >"$T/busy.conf"
"$SUPERD" -f -p - -c "$T/busy.conf" >"$T/busy.log" 2>&1
check "a busy endpoint fails the start" test $? -ne 0
expect_eq "and nothing else was left open" "" "$(ss -ltnH | grep -v ':7403 ')"
kill $holder 2>/dev/null

printf '127.0.0.1:echo stream tcp nowait root internal\n#<off># 127.0.0.1:daytime stream tcp nowait root internal\n' >"$T/good.conf"
out=$("$SUPERD" -t -c "$T/good.conf")
check "check-config accepts a good file" test $? -eq 0
expect_match "check-config prints a summary" "2 endpoints \(1 enabled, 1 disabled\)" "$out"
expect_eq "check-config opens nothing" "" "$(ss -ltnuH)"
# Regression: --selfcheck --json printed nothing (or broken JSON) on a
# config error; it reports UNKNOWN with the error, escaped.
printf 'service x {\n port = 7404\n protocol = tcp\n user = nobody\n server = "/no/such/prog"\n}\n' >"$T/sc.conf"
out=$("$SUPERD" -c "$T/sc.conf" --selfcheck --json 2>/dev/null)
expect_eq "selfcheck on a bad config exits 3 (UNKNOWN)" 3 $?
expect_match "and reports the error as valid JSON" 'sc.conf:5: server "/no/such/prog": does not exist' \
	"$(jq -r .error <<<"$out")"
# Both formats read a file whole before the parse (slurp.c): a native file
# over 4 MiB is refused by its size, an inetd.conf of any size is read.
{ printf 'service x {\n port = 7405\n protocol = tcp\n user = nobody\n server = "/bin/true"\n}\n'
  head -c $((4 * 1024 * 1024)) /dev/zero | tr '\0' '#'; echo; } >"$T/big.conf"
out=$("$SUPERD" -t --config-format native -c "$T/big.conf" 2>&1)
check "a native file over 4 MiB is refused" test $? -ne 0
expect_match "and the error says why" "big.conf.*larger than 4194304 bytes" "$out"
{ head -c $((5 * 1024 * 1024)) /dev/zero | tr '\0' '#'; echo
  echo "127.0.0.1:7406 stream tcp nowait nobody /bin/true true"; } >"$T/big-inetd.conf"
out=$("$SUPERD" -t --config-format inetd -c "$T/big-inetd.conf" 2>&1)
check "a 5 MiB inetd.conf is read to its end" test $? -eq 0
expect_match "its last line is served" "127\.0\.0\.1:7406 .*big-inetd\.conf:2" "$out"
finish
