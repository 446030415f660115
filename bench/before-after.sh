#!/bin/bash
# SPDX-License-Identifier: ISC
# One bench run of two superd builds side by side: an earlier commit, built
# in a temporary git worktree under /tmp, against the current build.
#
#   bench/before-after.sh REV          (make bench-before-after BEFORE=REV)
#
# Environment: SUPERD (the after build, default build/superd), and
# run.sh's own (BENCH_WINDOW, BENCH_ROUNDS, BENCH_OUT, BENCH_ONLY_SUPERD:
# default 1 here, the superd builds only).  Needs root, as run.sh.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
REV=${1:-}
[ -n "$REV" ] || { echo "usage: $0 REV (a commit to build as 'before')" >&2; exit 2; }
REPO=$(git -C "$HERE" rev-parse --show-toplevel) || exit 1
SHA=$(git -C "$REPO" rev-parse --verify "$REV^{commit}") ||
	{ echo "before-after: no commit $REV" >&2; exit 1; }
: "${SUPERD:=$REPO/build/superd}"
[ -x "$SUPERD" ] || { echo "before-after: no superd at $SUPERD (make first)" >&2; exit 1; }
W=$(mktemp -d /tmp/superd-before.XXXXXX) || exit 1
# the worktree is removed on every exit, registered or not
trap 'git -C "$REPO" worktree remove --force "$W/src" 2>/dev/null; rm -rf "$W"' EXIT
git -C "$REPO" worktree add --detach -q "$W/src" "$SHA" || exit 1
echo "before-after: building $(git -C "$REPO" log --oneline -1 "$SHA" | cut -c1-60) in $W/src" >&2
make -C "$W/src" -j2 build/superd >"$W/build.log" 2>&1 ||
	{ tail -20 "$W/build.log" >&2; echo "before-after: build of $REV failed" >&2; exit 1; }
# copies: a rebuild during the run changes neither
mkdir -p "$W/bin" && cp "$SUPERD" "$W/bin/superd" &&
	cp "$W/src/build/superd" "$W/bin/superd-before" || exit 1
chmod 755 "$W" "$W/bin"
echo "before-after: after = $SUPERD ($(git -C "$REPO" describe --always --dirty 2>/dev/null))" >&2
export BENCH_BEFORE_LABEL="$(git -C "$REPO" log --oneline -1 "$SHA" | cut -c1-50)"
SUPERD_BEFORE=$W/bin/superd-before SUPERD=$W/bin/superd SUPERD_STATIC= \
	BENCH_ONLY_SUPERD=${BENCH_ONLY_SUPERD:-1} BENCH_NMAP=0 "$HERE/run.sh"
