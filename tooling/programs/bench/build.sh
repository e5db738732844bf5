#!/usr/bin/env bash
# Builds the bench programs of src/*.c (linked with ../lib, the program
# suite's runtime) for one architecture, with the suite's flags:
#   build.sh riscv64 [OUTDIR]   riscv64-linux-gnu-gcc, default OUTDIR bin/riscv64 (committed)
#   build.sh x86_64  OUTDIR     the host gcc (apps/bench does this on first use, into build/x86_64)
# `pnpm programs:bench-build` rebuilds the committed riscv64 binaries.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
lib="$here/../lib"
arch="${1:-}"
case "$arch" in
riscv64) cc=riscv64-linux-gnu-gcc; out="${2:-$here/bin/riscv64}" ;;
x86_64) cc=gcc; out="${2:?build.sh x86_64 needs an output directory}" ;;
*)
	echo "usage: build.sh riscv64|x86_64 [OUTDIR]" >&2
	exit 1
	;;
esac
command -v "$cc" >/dev/null || { echo "bench programs: $cc not found" >&2; exit 1; }
cflags=(-std=gnu11 -O2 -Wall -Wextra -Werror
	-ffreestanding -fno-builtin -fno-stack-protector -fno-pie -no-pie
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-tree-loop-distribute-patterns
	-ffunction-sections -fdata-sections
	-nostdlib -static -s -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,noexecstack)
mkdir -p "$out"
umask 022
n=0
for src in "$here"/src/*.c; do
	name="$(basename "$src" .c)"
	"$cc" "${cflags[@]}" -DPROG="\"$name\"" -I"$lib" -I"$here/src" -o "$out/$name" "$src" "$lib"/*.c
	n=$((n + 1))
done
echo "bench programs: built $n $arch program(s) into $out"
