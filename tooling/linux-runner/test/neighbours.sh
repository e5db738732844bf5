#!/usr/bin/env bash
# The self-test (run-tests.sh) checks only what its own runs made. Here it
# runs beside a neighbour that keeps making files in /dev/shm and /tmp with
# names like the runner's (tskern-...) and a process named linux-runner,
# as another user of the machine or another run of the runner would. The
# self-test must pass, and every file of the neighbour must still be there,
# unchanged, and its process alive.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tag="tskern-neighbour-$$"
work="$(mktemp -d)"
neighbour=""
fake=""
cleanup() {
	[ -n "$neighbour" ] && kill "$neighbour" 2>/dev/null
	[ -n "$fake" ] && kill "$fake" 2>/dev/null
	wait 2>/dev/null
	rm -f /dev/shm/"$tag"-* /tmp/"$tag"-*
	rm -rf "$work"
}
trap cleanup EXIT

# A process that looks like a runner's to pgrep -x linux-runner.
cp "$(command -v sleep)" "$work/linux-runner"
"$work/linux-runner" 600 &
fake=$!

# The neighbour: a new file in each directory every 50 ms, holding its own
# name, listed in $work/made once written.
(
	i=0
	while :; do
		i=$((i + 1))
		for d in /dev/shm /tmp; do
			echo "$tag-$i" >"$d/$tag-$i" && echo "$d/$tag-$i" >>"$work/made"
		done
		sleep 0.05
	done
) &
neighbour=$!

bash "$here/test/run-tests.sh" >"$work/out" 2>&1
rc=$?
kill "$neighbour"
wait "$neighbour" 2>/dev/null
neighbour=""

fail=0
if [ "$rc" != 0 ]; then
	echo "FAIL: the self-test failed beside a neighbour (exit $rc):"
	sed 's/^/    /' "$work/out"
	fail=1
fi
made="$(wc -l <"$work/made")"
if [ "$made" -lt 10 ]; then
	echo "FAIL: the neighbour made only $made files during the self-test"
	fail=1
fi
while read -r f; do
	if [ ! -e "$f" ]; then
		echo "FAIL: the neighbour's $f is gone"
		fail=1
	elif [ "$(cat "$f")" != "$(basename "$f")" ]; then
		echo "FAIL: the neighbour's $f changed"
		fail=1
	fi
done <"$work/made"
if ! kill -0 "$fake" 2>/dev/null; then
	echo "FAIL: the neighbour's process $fake is gone"
	fail=1
fi
echo "linux-runner beside a neighbour: self-test exit $rc, $made neighbour files checked, $([ "$fail" = 0 ] && echo passed || echo FAILED)"
[ "$fail" = 0 ]
