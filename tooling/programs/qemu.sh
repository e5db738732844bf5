#!/usr/bin/env bash
# `pnpm programs:qemu [NAME...]`: a sanity check of the committed riscv64
# binaries under qemu-riscv64 (user mode), compared with the Linux x86-64
# goldens. qemu is not the oracle: README.md lists the known differences.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v qemu-riscv64 >/dev/null || { echo "programs:qemu: qemu-riscv64 not found (Debian: qemu-user)" >&2; exit 1; }
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in "$here"/src/*.c; do names+=("$(basename "$f" .c)"); done
fi
differ=()
check() { # BINDIR NAME GOLDEN
	local name="$2"
	got="$(python3 "$here/run-one.py" --qemu "$1" "$2" 2>/dev/null)"
	if [ "$got" = "$(cat "$3")" ]; then
		echo "same     $name"
	else
		echo "DIFFERS  $name"
		diff <(echo "$got") "$3" | sed 's/^/    /'
		differ+=("$name")
	fi
}
for name in "${names[@]}"; do
	check "$here/bin/riscv64" "$name" "$here/expected/$name.out"
done
if [ $# -eq 0 ]; then
	for f in "$here"/glibc/src/*.c; do
		name="$(basename "$f" .c)"
		names+=("glibc/$name")
		check "$here/glibc/bin/riscv64" "$name" "$here/glibc/expected/$name.out"
	done
fi
echo "programs:qemu: ${#names[@]} program(s), ${#differ[@]} differ from Linux x86-64"
