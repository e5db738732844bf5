#!/usr/bin/env bash
# Regenerates the golden transcripts of the conformance scenarios from the
# host Linux kernel: for each tooling/conformance/scenarios/**/*.scn (or only
# the .scn files given as arguments), the runner's stdout becomes FILE.golden
# next to it. A scenario the runner cannot play (exit 2) keeps its old golden
# file; its stderr is shown and the script fails once every file has run.
#
# A scenario written to end in a scenario error says so with a header comment
#     # expect-exit: 2
# Its golden is then the transcript up to the error, and the script fails if
# it does NOT end in a scenario error.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
	echo "regenerate.sh: the golden files are Linux x86-64 transcripts; this is $(uname -sm)" >&2
	exit 1
fi
bash "$here/build.sh" || exit 1
runner="$here/build/linux-runner"

files=()
if [ $# -gt 0 ]; then
	for f in "$@"; do
		case "$f" in
		*.scn) ;;
		*) echo "regenerate.sh: not a .scn file: $f" >&2; exit 1 ;;
		esac
		[ -f "$f" ] || { echo "regenerate.sh: no such file: $f" >&2; exit 1; }
		files+=("$f")
	done
else
	dir="$root/tooling/conformance/scenarios"
	if [ ! -d "$dir" ]; then
		echo "regenerate.sh: no scenarios yet ($dir does not exist)"
		exit 0
	fi
	while IFS= read -r -d '' f; do
		files+=("$f")
	done < <(find "$dir" -type f -name '*.scn' -print0 | LC_ALL=C sort -z)
fi

written=0
failed=()
err="$(mktemp)"
trap 'rm -f "$err"' EXIT
for f in "${files[@]}"; do
	golden="${f%.scn}.golden"
	tmp="$golden.tmp.$$"
	want="$(sed -n 's/^# expect-exit: *//p' "$f" | head -n 1)"
	want="${want:-0}"
	"$runner" "$f" >"$tmp" 2>"$err"
	rc=$?
	if [ "$rc" = "$want" ]; then
		mv "$tmp" "$golden"
		written=$((written + 1))
		# Warnings of a clean run; a declared error is expected, not news.
		[ "$rc" = 0 ] && [ -s "$err" ] && { echo "$f:"; sed 's/^/  /' "$err"; } >&2
	else
		rm -f "$tmp"
		failed+=("$f")
		{
			echo "$f: linux-runner exited $rc (expected $want); golden file not updated"
			sed 's/^/  /' "$err"
		} >&2
	fi
done

echo "regenerate.sh: wrote $written golden file(s)"
if [ ${#failed[@]} -gt 0 ]; then
	echo "regenerate.sh: ${#failed[@]} scenario(s) failed:" >&2
	printf '  %s\n' "${failed[@]}" >&2
	exit 1
fi
