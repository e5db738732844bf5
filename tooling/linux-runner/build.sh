#!/usr/bin/env bash
# Builds the Linux oracle into tooling/linux-runner/build/linux-runner.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$here/build"
# The binary must stay executable by the unprivileged user the scenario
# processes run as (they execve it for `exec`), whatever the caller's umask.
umask 022
gcc -std=c11 -O2 -Wall -Wextra -Werror \
	-o "$here/build/linux-runner" "$here"/src/*.c -lrt
