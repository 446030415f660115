#!/bin/bash
# SPDX-License-Identifier: ISC
# Build the exec benchmark's service (bench/hello.c) for run.sh and
# profile.sh:
#   build-hello.sh OUT         libc-free where possible, else libc
#   build-hello.sh OUT libc    linked with glibc, static when possible
# Prints how it was built: static-nolibc, static-glibc, dynamic-glibc.
set -u
out=$1 src=$(dirname "$0")/hello.c CC=${CC:-cc}
if [ "${2:-}" != libc ] &&
	$CC -O2 -static -nostdlib -fno-stack-protector -no-pie -o "$out" "$src" 2>/dev/null &&
	[ "$("$out")" = hello ]; then
	echo static-nolibc
elif $CC -O2 -static -DHELLO_LIBC -o "$out" "$src" 2>/dev/null; then
	echo static-glibc
elif $CC -O2 -DHELLO_LIBC -o "$out" "$src"; then
	echo dynamic-glibc
else
	exit 1
fi
