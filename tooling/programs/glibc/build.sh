#!/usr/bin/env bash
# Builds the glibc examples of src/*.c, statically linked and stripped:
#   build.sh riscv64 [OUTDIR]   with riscv64-linux-gnu-gcc (default OUTDIR bin/riscv64)
#   build.sh x86_64  OUTDIR     with the host gcc
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "${1:-}" in
riscv64)
	cc=riscv64-linux-gnu-gcc
	command -v "$cc" >/dev/null || { echo "programs: $cc not found; install Debian/Ubuntu's gcc-riscv64-linux-gnu" >&2; exit 1; }
	out="${2:-$here/bin/riscv64}"
	;;
x86_64)
	cc=gcc
	out="${2:?build.sh x86_64 needs an output directory}"
	;;
*) echo "usage: build.sh riscv64|x86_64 [OUTDIR]" >&2; exit 1 ;;
esac
mkdir -p "$out"
umask 022
for f in "$here"/src/*.c; do
	name="$(basename "$f" .c)"
	"$cc" -std=gnu11 -O2 -Wall -Wextra -Werror -static -s -Wl,--build-id=none -pthread -o "$out/$name" "$f"
done
echo "programs: built the glibc examples for ${1} into $out"
