#!/usr/bin/env bash
# `pnpm programs:build [NAME...]`: rebuilds the committed riscv64 binaries,
# bin/riscv64/NAME from src/NAME.c and, without NAMEs, the glibc examples
# (glibc/bin/riscv64/NAME). Needs riscv64-linux-gnu-gcc.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/build.sh" riscv64 "$here/bin/riscv64" "$@"
[ $# -gt 0 ] || bash "$here/glibc/build.sh" riscv64
