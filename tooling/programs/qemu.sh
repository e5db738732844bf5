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
for name in "${names[@]}"; do
	got="$(python3 "$here/run-one.py" --qemu "$here/bin/riscv64" "$name" 2>/dev/null)"
	if [ "$got" = "$(cat "$here/expected/$name.out")" ]; then
		echo "same     $name"
	else
		echo "DIFFERS  $name"
		diff <(echo "$got") "$here/expected/$name.out" | sed 's/^/    /'
		differ+=("$name")
	fi
done
echo "programs:qemu: ${#names[@]} program(s), ${#differ[@]} differ from Linux x86-64"
