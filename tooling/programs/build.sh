#!/usr/bin/env bash
# Builds the freestanding programs of src/*.c for one architecture.
#   build.sh riscv64 [OUTDIR] [NAME...]   with riscv64-linux-gnu-gcc (default OUTDIR bin/riscv64)
#   build.sh x86_64  OUTDIR   [NAME...]   with the host gcc
# Each program is src/NAME.c linked with lib/*.c into OUTDIR/NAME: static,
# no libc, no build-id, stripped, so the same sources and compiler give the
# same bytes.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
arch="${1:-}"
case "$arch" in
riscv64)
	cc=riscv64-linux-gnu-gcc
	if ! command -v "$cc" >/dev/null; then
		echo "programs: $cc not found; install Debian/Ubuntu's gcc-riscv64-linux-gnu (apt-get install gcc-riscv64-linux-gnu)" >&2
		exit 1
	fi
	out="${2:-$here/bin/riscv64}"
	;;
x86_64)
	cc=gcc
	if [ "$(uname -m)" != x86_64 ]; then
		echo "programs: the x86-64 build runs on an x86-64 Linux host; this is $(uname -m)" >&2
		exit 1
	fi
	out="${2:?build.sh x86_64 needs an output directory}"
	;;
*)
	echo "usage: build.sh riscv64|x86_64 [OUTDIR] [NAME...]" >&2
	exit 1
	;;
esac
shift $(($# >= 2 ? 2 : 1))

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in "$here"/src/*.c; do names+=("$(basename "$f" .c)"); done
fi

cflags=(-std=gnu11 -O2 -Wall -Wextra -Werror
	-ffreestanding -fno-builtin -fno-stack-protector -fno-pie -no-pie
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-tree-loop-distribute-patterns
	-ffunction-sections -fdata-sections
	-nostdlib -static -s -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,noexecstack)

mkdir -p "$out"
umask 022
for name in "${names[@]}"; do
	src="$here/src/$name.c"
	[ -f "$src" ] || { echo "programs: no such program: $src" >&2; exit 1; }
	"$cc" "${cflags[@]}" -DPROG="\"$name\"" -I"$here/lib" -o "$out/$name" "$src" "$here"/lib/*.c
done
echo "programs: built ${#names[@]} $arch program(s) into $out"
