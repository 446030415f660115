#!/bin/bash
# SPDX-License-Identifier: ISC
# Build the libFuzzer harnesses (clang, ASan+UBSan) into build-fuzz/ and run
# each for $FUZZ_SECONDS seconds on a temporary copy of its seed corpus, so
# a CI run never writes into the repository.  Prints one summary line per
# harness; exits non-zero when a harness crashed, leaked, hung or failed to
# build.  A crashing input is kept in build-fuzz/artifacts/HARNESS/.
#
# Environment: FUZZ_SECONDS (default 30), FUZZ_HARNESSES (default: all),
# FUZZ_KEEP_CORPUS=DIR (copy each grown corpus to DIR/HARNESS), FUZZ_CC
# (clang), FUZZ_BUILD (build-fuzz; give concurrent runs different ones).
set -u
cd "$(dirname "$0")/../.." || exit 1

SECONDS_EACH=${FUZZ_SECONDS:-30}
CC=${FUZZ_CC:-clang}
B=${FUZZ_BUILD:-build-fuzz}
PKGS="libevent libconfuse libcap jansson libnftables libtirpc"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-g -O1 -std=gnu11 -D_GNU_SOURCE -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -Wall -Wextra $SAN $(pkg-config --cflags $PKGS)"
LIBS="$(pkg-config --libs $PKGS) -lwrap"
HARNESSES=${FUZZ_HARNESSES:-$(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$//')}

command -v "$CC" >/dev/null || { echo "fuzz: $CC not found (apt-get install clang libclang-rt-14-dev)"; exit 1; }

# The library: every source but main, instrumented for coverage.
mkdir -p "$B/obj" "$B/artifacts" && B=$(cd "$B" && pwd) || exit 1
objs=
for src in src/*.c; do
	[ "$src" = src/superd.c ] && continue
	obj=$B/obj/$(basename "${src%.c}").o
	if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find src -name '*.h' -newer "$obj")" ]; then
		$CC $CFLAGS -fsanitize=fuzzer-no-link -c -o "$obj" "$src" || { echo "fuzz: cannot build $src"; exit 1; }
	fi
	objs="$objs $obj"
done

# Every harness is linked before any runs, against the same objects.
fail=0
built=
for h in $HARNESSES; do
	if $CC $CFLAGS -fsanitize=fuzzer -Isrc -o "$B/$h" "tests/fuzz/$h.c" $objs $LIBS; then
		built="$built $h"
	else
		echo "fuzz: cannot build $h"
		fail=1
	fi
done

summary=
for h in $built; do
	work=$(mktemp -d "${TMPDIR:-/tmp}/superd-fuzz-$h.XXXXXX")
	mkdir -p "$work/corpus" "$B/artifacts/$h"
	[ -d "tests/fuzz/corpus/$h" ] && cp -r "tests/fuzz/corpus/$h/." "$work/corpus/"
	echo "=== $h: $SECONDS_EACH s"
	dict=
	[ -f "tests/fuzz/$h.dict" ] && dict=-dict=tests/fuzz/$h.dict
	"$B/$h" $dict -max_len=65536 -max_total_time="$SECONDS_EACH" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$B/artifacts/$h/" "$work/corpus" >"$work/log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)
	cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$work/log" | tail -1)
	if [ "$rc" -ne 0 ]; then
		fail=1
		echo "--- $h failed (exit $rc); the end of its log:"
		tail -60 "$work/log"
		ls "$B/artifacts/$h"/* 2>/dev/null | sed 's/^/artifact: /'
		line="$h: FAILED exit=$rc runs=${runs:-?} exec/s=${eps:-?} ${cov}"
	else
		line="$h: ok runs=${runs:-?} exec/s=${eps:-?} ${cov}"
	fi
	echo "$line"
	summary="$summary$line"$'\n'
	if [ -n "${FUZZ_KEEP_CORPUS:-}" ]; then
		mkdir -p "$FUZZ_KEEP_CORPUS/$h"
		cp -r "$work/corpus/." "$FUZZ_KEEP_CORPUS/$h/"
	fi
	rm -rf "$work"
done
echo "=== fuzz summary ($SECONDS_EACH s each)"
printf '%s' "$summary"
exit $fail
