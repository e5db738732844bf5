#!/usr/bin/env bash
# `pnpm programs:linux [NAME...]`: builds the programs for x86-64 with the
# host gcc, runs each on the host Linux kernel (run-one.py: fixed argv,
# environment and a fresh working directory) and writes its transcript to
# expected/NAME.out; without NAMEs, the glibc examples' transcripts too
# (glibc/expected/NAME.out). Linux is the oracle: these files are never edited by
# hand. A program that does not exit 0 keeps its old golden file and the
# script fails once every program has run.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
	echo "programs:linux: the golden transcripts come from Linux x86-64; this is $(uname -sm)" >&2
	exit 1
fi
bindir="$(mktemp -d /tmp/tskern-programs-x86_64.XXXXXX)"
trap 'rm -rf "$bindir"' EXIT
# all of them, even for a few NAMEs: a program may execute another (exec_target)
bash "$here/build.sh" x86_64 "$bindir" || exit 1
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in "$here"/src/*.c; do names+=("$(basename "$f" .c)"); done
fi
mkdir -p "$here/expected"
failed=()
run() { # BINDIR NAME GOLDEN
	local tmp="$3.tmp.$$"
	if python3 "$here/run-one.py" "$1" "$2" >"$tmp" 2>"$bindir/stderr" && [ "$(tail -n 1 "$tmp")" = "exit 0" ]; then
		mv "$tmp" "$3"
	else
		failed+=("$2")
		{ echo "$2: did not exit 0; golden not updated:"; sed 's/^/  /' "$tmp" "$bindir/stderr"; } >&2
		rm -f "$tmp"
	fi
}
for name in "${names[@]}"; do
	run "$bindir" "$name" "$here/expected/$name.out"
done
if [ $# -eq 0 ]; then
	bash "$here/glibc/build.sh" x86_64 "$bindir/glibc" || exit 1
	mkdir -p "$here/glibc/expected"
	for f in "$here"/glibc/src/*.c; do
		name="$(basename "$f" .c)"
		names+=("glibc/$name")
		run "$bindir/glibc" "$name" "$here/glibc/expected/$name.out"
	done
fi
echo "programs:linux: ran ${#names[@]} program(s), ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
