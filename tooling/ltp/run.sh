#!/usr/bin/env bash
# The external yardstick of issue 10: the Open POSIX Test Suite's memory
# interfaces and LTP's syscall tests for the memory calls, built from an LTP
# checkout OUTSIDE this repository for x86-64 (run on the host: Linux is the
# oracle) and for riscv64 (run with `tskern exec`, optionally qemu-riscv64 as
# an informational column, never the oracle for memory system calls).
#
# Nothing of LTP (sources, objects, binaries, logs) is written inside the
# repository: everything goes under --out. See tooling/ltp/README.md.
set -u -o pipefail

usage() {
  cat <<'EOF'
usage: pnpm ltp --src LTPDIR --out OUTDIR [options]
       bash tooling/ltp/run.sh --src LTPDIR --out OUTDIR [options]

  --src DIR         an LTP source tree (git checkout or `git archive` of
                    linux-test-project/ltp); copied per architecture, never changed
  --out DIR         build and result directory (outside the repository)
  --tskern DIR      tskern checkout whose `pnpm -s tskern exec` runs riscv64
                    programs (default: this checkout)
  --arch LIST       architectures to build, comma separated (default x86_64,riscv64)
  --columns LIST    columns to run: linux,linux-ramfs,tskern,tskern-ext4,qemu
                    (default linux,tskern); tskern-ext4 runs tskern with /tmp
                    on a fresh ext4 image per test (tskern exec --mount
                    IMAGE:/tmp, mount -o loop inside), the file system the
                    Linux column's /tmp is on here; linux-ramfs runs the x86-64 binaries with
                    TMPDIR on a ramfs mounted for the run (needs root): the
                    file system tskern exec's /tmp is
  --only REGEX      only tests whose name matches (e.g. '^posix/mmap/' or 'mremap')
  --no-build        do not build; use the binaries already under --out
  --no-run          build only
  --table-only      print the table from results already under --out
  --timeout S       seconds per test on Linux and qemu (default 60)
  --tskern-timeout S seconds per test under tskern exec (default 300)
  --strace-diffs    rerun under `tskern exec --strace` every test whose tskern
                    result differs from Linux, and write OUT/gaps.md: per test the
                    first failure line, and the system calls that returned ENOSYS
                    and the /proc, /sys and /dev paths that were missing, ranked
                    by how many differing tests show each
  --gaps-only       rewrite OUT/gaps.md from the --strace-diffs logs already there
  --jobs N          make -j (default 2)
  --no-guest-tools  run the tskern column without OUT/guest-root (Debian trixie's
                    riscv64 e2fsprogs and libraries that guest-tools.sh fetches,
                    mounted with --sysroot so PATH finds mkfs.ext2/3/4)
  --install-deps    apt-get install the missing build tools first (needs root)
EOF
}

SRC="" OUT="" TSKERN_DIR="" ARCHES="x86_64,riscv64" COLUMNS="linux,tskern"
ONLY="" BUILD=1 RUN=1 TIMEOUT=60 TSKERN_TIMEOUT=300 JOBS=2 INSTALL_DEPS=0 STRACE_DIFFS=0 GAPS_ONLY=0 GUEST_TOOLS=1
# Under `pnpm ltp` the script runs in the repository root; relative paths are
# meant from where pnpm was started.
[ -n "${INIT_CWD:-}" ] && cd "$INIT_CWD"
while [ $# -gt 0 ]; do
  case "$1" in
    --src) SRC=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --tskern) TSKERN_DIR=$2; shift 2 ;;
    --arch) ARCHES=$2; shift 2 ;;
    --columns) COLUMNS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --no-run) RUN=0; shift ;;
    --table-only) BUILD=0; RUN=0; shift ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --tskern-timeout) TSKERN_TIMEOUT=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --install-deps) INSTALL_DEPS=1; shift ;;
    --strace-diffs) STRACE_DIFFS=1; shift ;;
    --gaps-only) GAPS_ONLY=1; BUILD=0; RUN=0; shift ;;
    --no-guest-tools) GUEST_TOOLS=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "ltp: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ -n "$OUT" ] || { usage >&2; exit 2; }
REPO=$(cd "$(dirname "$0")/../.." && pwd)
[ -n "$TSKERN_DIR" ] || TSKERN_DIR=$REPO
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
case "$OUT/" in "$REPO"/*) echo "ltp: --out must be outside the repository ($REPO)" >&2; exit 2 ;; esac

# --- the test lists -------------------------------------------------------

# Open POSIX: every C test case directly under each interface directory
# (`N-M.c`; the `.sh` cases only echo "tested implicitly", and `speculative/`
# is outside the suite's own run). 94 files for these eight interfaces.
POSIX_IFACES="mmap munmap shm_open shm_unlink mlock munlock mlockall munlockall"
# LTP: the directories of testcases/kernel/syscalls named by the issue; the
# tests and their arguments are those of runtest/syscalls whose binary is
# built in one of these directories.
LTP_DIRS="madvise mincore mlock mmap mprotect mremap msync munlock"
POSIX_REL=testcases/open_posix_testsuite

posix_tests() { # prints: NAME<TAB>IFACE/FILE.c
  local i f
  for i in $POSIX_IFACES; do
    for f in "$SRC/$POSIX_REL/conformance/interfaces/$i"/*.c; do
      printf 'posix/%s/%s\t%s\n' "$i" "$(basename "$f" .c)" "$i/$(basename "$f")"
    done
  done
}

ltp_tests() { # prints: NAME<TAB>DIR<TAB>BINARY ARGS...
  local d name bin args
  while read -r name bin args; do
    case "$name" in ''|'#'*) continue ;; esac
    for d in $LTP_DIRS; do
      if [ -f "$SRC/testcases/kernel/syscalls/$d/$bin.c" ]; then
        printf 'ltp/%s\t%s\t%s\n' "$name" "$d" "$bin${args:+ $args}"
      fi
    done
  done < "$SRC/runtest/syscalls"
}

all_tests() { # prints: NAME<TAB>KIND<TAB>RELATIVE-BINARY<TAB>ARGS
  local name rel d cmd
  posix_tests | while IFS=$'\t' read -r name rel; do
    printf '%s\tposix\tposix/%s\t\n' "$name" "${rel%.c}"
  done
  ltp_tests | while IFS=$'\t' read -r name d cmd; do
    set -- $cmd
    local bin=$1; shift
    printf '%s\tltp\tsrc/testcases/kernel/syscalls/%s/%s\t%s\n' "$name" "$d" "$bin" "$*"
  done
}

selected_tests() {
  if [ -n "$ONLY" ]; then all_tests | awk -F'\t' -v re="$ONLY" '$1 ~ re'; else all_tests; fi
}

# --- tools ----------------------------------------------------------------

need_tools() {
  local missing=() pkgs=() t
  for t in make autoconf automake pkg-config gcc timeout; do
    command -v "$t" >/dev/null || { missing+=("$t"); pkgs+=("$t"); }
  done
  case ",$ARCHES," in *,riscv64,*)
    command -v riscv64-linux-gnu-gcc >/dev/null || { missing+=(riscv64-linux-gnu-gcc); pkgs+=(gcc-riscv64-linux-gnu); } ;;
  esac
  case ",$COLUMNS," in *,qemu,*)
    command -v qemu-riscv64 >/dev/null || { missing+=(qemu-riscv64); pkgs+=(qemu-user); } ;;
  esac
  [ ${#missing[@]} -eq 0 ] && return 0
  # Debian/Ubuntu package names; `timeout` is coreutils, `gcc` build-essential.
  local apt="apt-get install -y ${pkgs[*]}"
  apt=${apt//timeout/coreutils}
  if [ $INSTALL_DEPS = 1 ]; then
    echo "ltp: installing: $apt" >&2
    apt-get update -qq && $apt || exit 1
  else
    echo "ltp: missing tools: ${missing[*]}" >&2
    echo "ltp: install them with:  $apt   (or rerun with --install-deps)" >&2
    exit 1
  fi
}

# --- build ----------------------------------------------------------------

# LTP is configured in place, so each architecture builds in its own copy.
prepare_ltp() { # ARCH
  local a=$1 dir=$OUT/$1/src
  if [ ! -f "$dir/.ltp-configured" ]; then
    echo "ltp: $a: copying $SRC and configuring (logs in $OUT/$a/)" >&2
    rm -rf "$dir"; mkdir -p "$OUT/$a"
    cp -a "$SRC" "$dir"
    (cd "$dir" && make autotools) >"$OUT/$a/autotools.log" 2>&1 || { echo "ltp: $a: make autotools failed, see $OUT/$a/autotools.log" >&2; return 1; }
    if [ "$a" = riscv64 ]; then
      # Static: tskern exec and qemu-riscv64 then need no riscv64 sysroot.
      (cd "$dir" && ./configure --host=riscv64-linux-gnu CC=riscv64-linux-gnu-gcc LDFLAGS=-static)
    else
      (cd "$dir" && ./configure)
    fi >"$OUT/$a/configure.log" 2>&1 || { echo "ltp: $a: configure failed, see $OUT/$a/configure.log" >&2; return 1; }
    touch "$dir/.ltp-configured"
  fi
  echo "ltp: $a: building lib/ and $LTP_DIRS" >&2
  make -j"$JOBS" -C "$dir/lib" >"$OUT/$a/lib.log" 2>&1 || { echo "ltp: $a: lib build failed, see $OUT/$a/lib.log" >&2; return 1; }
  local d
  for d in $LTP_DIRS; do
    make -j"$JOBS" -C "$dir/testcases/kernel/syscalls/$d" >"$OUT/$a/build-$d.log" 2>&1 ||
      echo "ltp: $a: some of $d did not build, see $OUT/$a/build-$d.log" >&2
  done
}

# The Open POSIX cases are single C files; compile them the way the suite's
# generated makefiles do (include/mk/config.mk.in, scripts/generate-makefiles.sh):
# its CFLAGS, the test's directory on the include path, lib/common.c, and the
# interface's LDLIBS file (-lpthread -lrt).
build_posix() { # ARCH
  local a=$1 cc=gcc ldflags="" p=$SRC/$POSIX_REL name rel libs ok=0 bad=0
  [ "$a" = riscv64 ] && { cc=riscv64-linux-gnu-gcc; ldflags=-static; }
  echo "ltp: $a: building the Open POSIX memory-interface tests" >&2
  mkdir -p "$OUT/$a/posix"
  : >"$OUT/$a/posix-build.log"
  while IFS=$'\t' read -r name rel; do
    local dir=$p/conformance/interfaces/$(dirname "$rel")
    libs=$(cat "$dir/LDLIBS" 2>/dev/null || echo "-lpthread -lrt")
    mkdir -p "$OUT/$a/posix/$(dirname "$rel")"
    if $cc -std=c99 -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 -Wall -Wextra \
        -I"$p/include" -I"$dir" $ldflags -o "$OUT/$a/posix/${rel%.c}" \
        "$p/conformance/interfaces/$rel" "$p/lib/common.c" $libs -lpthread -lrt \
        >>"$OUT/$a/posix-build.log" 2>&1; then ok=$((ok + 1)); else bad=$((bad + 1)); echo "FAILED: $rel" >>"$OUT/$a/posix-build.log"; fi
  done < <(posix_tests)
  echo "ltp: $a: Open POSIX: $ok built, $bad failed (see $OUT/$a/posix-build.log)" >&2
}

# --- run and classify -----------------------------------------------------

sig_name() { kill -l "$1" 2>/dev/null || echo "$1"; }

# Open POSIX exit codes (include/posixtest.h): PTS_PASS 0, PTS_FAIL 1,
# PTS_UNRESOLVED 2, PTS_UNSUPPORTED 4, PTS_UNTESTED 5.
classify_posix() { # STATUS
  case "$1" in
    0) echo PASS ;; 1) echo FAIL ;; 2) echo UNRESOLVED ;; 4) echo UNSUPPORTED ;; 5) echo UNTESTED ;;
    *) classify_other "$1" ;;
  esac
}

# LTP's exit status is an OR of the result bits (include/tst_res_flags.h):
# TFAIL 1, TBROK 2, TWARN 4, TCONF 32; 0 means every result was TPASS.
classify_ltp() { # STATUS
  local s=$1 r=()
  [ "$s" = 0 ] && { echo TPASS; return; }
  if [ "$s" -ge 124 ]; then classify_other "$s"; return; fi
  [ $((s & 2)) -ne 0 ] && r+=(TBROK)
  [ $((s & 1)) -ne 0 ] && r+=(TFAIL)
  [ $((s & 4)) -ne 0 ] && r+=(TWARN)
  [ $((s & 32)) -ne 0 ] && r+=(TCONF)
  [ ${#r[@]} -eq 0 ] && { echo "EXIT$s"; return; }
  local IFS=+; echo "${r[*]}"
}

# The counts of LTP's closing summary (passed, failed, broken, skipped), so
# that "same" means the same results, not only the same worst one: e.g. two
# TBROKs, one after two passes and one before any.
ltp_counts() { # LOG
  awk '/^Summary:/ { s = 1 } s && $1 ~ /^(passed|failed|broken|skipped)$/ { c[$1] = $2 }
    END { if (s) printf " %s/%s/%s/%s", c["passed"], c["failed"], c["broken"], c["skipped"] }' "$1"
}

classify_other() { # STATUS: timeout(1) gives 124 (137 after -k), tskern exec 126/127, 128+N for a signal
  case "$1" in
    124|137) echo TIMEOUT ;;
    126) echo NOEXEC ;; 127) echo NOTFOUND ;;
    *) if [ "$1" -gt 128 ]; then echo "SIG$(sig_name $(($1 - 128)))"; else echo "EXIT$1"; fi ;;
  esac
}

# The environment of every run, the same on each column: LTP's library needs
# TMPDIR (its temporary directories) and reads LTP_TIMEOUT_MUL; Open POSIX
# reads TMPDIR. LTPROOT is only used to find data files, which none of these
# tests have.
RUN_ENV=(TMPDIR=/tmp PATH=/usr/sbin:/usr/bin:/sbin:/bin LTP_COLORIZE_OUTPUT=0 LTPROOT=/opt/ltp)
TSKERN_MOUNTS=(--mount /etc:/etc:ro)
# The programs tests run, as the host has them in /usr/sbin: LTP's
# tst_supported_fs_types offers a file system only when `mkfs.FS` is found
# through PATH, and tst_mkfs runs it. guest-tools.sh unpacks Debian's riscv64
# e2fsprogs (with its libraries and glibc's loader) into OUT/guest-root;
# --sysroot mounts its /lib, /usr/lib, /usr/bin and /usr/sbin read-only.
guest_tools() {
  [ $GUEST_TOOLS = 1 ] || return 0
  local root
  root=$(bash "$REPO/tooling/ltp/guest-tools.sh" "$OUT") ||
    { echo "ltp: guest-tools.sh failed (rerun with --no-guest-tools to run without mkfs in the guest)" >&2; exit 1; }
  TSKERN_MOUNTS+=(--sysroot "$root")
}
# tskern runs with the privileges the Linux column has: the uid and gid of
# this script, and its capabilities as /proc/self/status shows them (read by
# awk, a child that inherits them, as the Linux tests do). The effective set
# becomes tskern's permitted and effective sets and CapBnd its bounding set;
# the execve of the test then recomputes them as Linux does (root's program
# gets the bounding set), so a container whose root lacks, say,
# CAP_SYS_RESOURCE runs tskern's root without it too.
host_creds() {
  printf -- '--uid\n%s\n--gid\n%s\n' "$(id -u)" "$(id -g)"
  awk '$1 == "CapEff:" { e = $2 } $1 == "CapBnd:" { b = $2 }
    END { if (e != "" && b != "") printf "--caps\n%s\n--cap-bound\n%s\n", e, b }' /proc/self/status
}
mapfile -t TSKERN_CREDS < <(host_creds)

run_column() { # COLUMN
  local col=$1 arch=x86_64 t=$TIMEOUT name kind rel args st res start
  case "$col" in linux*) ;; *) arch=riscv64 ;; esac
  local tmpdir=/tmp
  if [ "$col" = linux-ramfs ]; then
    tmpdir=$OUT/ramfs
    mkdir -p "$tmpdir"
    mountpoint -q "$tmpdir" || mount -t ramfs -o mode=1777 ramfs "$tmpdir" ||
      { echo "ltp: cannot mount a ramfs on $tmpdir (root needed)" >&2; return 1; }
  fi
  case "$col" in tskern*) t=$TSKERN_TIMEOUT ;; esac
  local res_file=$OUT/results/$col.tsv logs=$OUT/logs/$col
  mkdir -p "$logs" "$OUT/results"
  touch "$res_file"
  echo "ltp: running the $col column ($arch binaries, ${t}s per test)" >&2
  while IFS=$'\t' read -r name kind rel args; do
    local bin=$OUT/$arch/$rel log=$logs/${name//\//_}.log
    if [ ! -x "$bin" ]; then res=NOTBUILT; st=-
    else
      local cwd; cwd=$(mktemp -d "$tmpdir/ltp-run.XXXXXX")
      start=$(date +%s)
      case "$col" in
        linux|linux-ramfs)
          (cd "$cwd" && env -i "${RUN_ENV[@]}" TMPDIR="$tmpdir" timeout -k 10 "$t" "$bin" $args) >"$log" 2>&1 </dev/null; st=$? ;;
        qemu)
          (cd "$cwd" && env -i "${RUN_ENV[@]}" timeout -k 10 "$t" qemu-riscv64 "$bin" $args) >"$log" 2>&1 </dev/null; st=$? ;;
        tskern|tskern-ext4)
          local envs=() e image=()
          # tskern-ext4: /tmp is a fresh ext4 image made by the host's
          # mke2fs (as the host's /tmp is ext4), owned by this script's
          # user, mode 1777 as /tmp; sparse, 2 GiB (LTP's device tests put a
          # 300 MB loop file in it).
          if [ "$col" = tskern-ext4 ]; then
            local img=$OUT/tskern-ext4.img
            rm -f "$img" && truncate -s 2G "$img" &&
              mke2fs -q -F -t ext4 -E "root_owner=$(id -u):$(id -g)" "$img" &&
              debugfs -w -R 'set_inode_field / mode 041777' "$img" 2>/dev/null ||
              { echo "ltp: cannot make $img with mke2fs and debugfs" >&2; return 1; }
            image=(--mount "$img:/tmp")
          fi
          for e in "${RUN_ENV[@]}"; do envs+=(--env "$e"); done
          # The emulated CPU is slower than the host: give LTP's own per-test
          # timer room (it only scales time limits, not what is tested).
          envs+=(--env LTP_TIMEOUT_MUL=10)
          # The host's /etc, read-only: tests that look for another user
          # (getpwent: shm_open 26-2, 32-1, 34-1, mmap 18-1) see the same
          # /etc/passwd as on Linux (and mke2fs its /etc/mke2fs.conf).
          # The guest tools' root (--sysroot) for mkfs.ext2/3/4.
          (cd "$TSKERN_DIR" && timeout -k 10 "$t" pnpm -s tskern exec "${envs[@]}" "${TSKERN_MOUNTS[@]}" "${image[@]}" "${TSKERN_CREDS[@]}" --cwd /tmp -- "$bin" $args) >"$log" 2>&1 </dev/null; st=$? ;;
      esac
      rm -rf "$cwd"
      if [ "$kind" = posix ]; then res=$(classify_posix "$st"); else res="$(classify_ltp "$st")$(ltp_counts "$log")"; fi
      # A tskern crash (a JavaScript error rather than the program's status)
      # must not pass for a test result. Node prints an uncaught error as
      # "TypeError: ..." (or "Error [CODE]: ..."); a test's own "Error at
      # setrlimit(): ..." (mmap 18-1) is not one.
      if [[ "$col" = tskern* ]] && grep -qE '^tskern: .*(internal error|not implemented)|^(Error|TypeError|RangeError|ReferenceError)( \[[A-Z_]+\])?: ' "$log"; then res="$res(tskern-error)"; fi
      echo "# status $st, $(( $(date +%s) - start ))s" >>"$log"
    fi
    awk -F'\t' -v n="$name" '$1 != n' "$res_file" >"$res_file.tmp" && mv "$res_file.tmp" "$res_file"
    printf '%s\t%s\t%s\n' "$name" "$res" "$st" >>"$res_file"
    printf '  %-28s %s\n' "$name" "$res" >&2
  done < <(selected_tests)
  if [ "$col" = linux-ramfs ]; then umount "$tmpdir" && rmdir "$tmpdir"; fi
}

# --- kernel gaps ------------------------------------------------------------

tskern_env_args() {
  local e
  for e in "${RUN_ENV[@]}"; do printf -- '--env\n%s\n' "$e"; done
  printf -- '--env\nLTP_TIMEOUT_MUL=10\n'
}

strace_diffs() {
  local logs=$OUT/logs/tskern-strace name kind rel args t f line
  mkdir -p "$logs"
  local diffs; diffs=$(awk -F'\t' 'FNR == NR { lin[$1] = $2; next } ($1 in lin) && lin[$1] != $2 { print $1 }' \
    "$OUT/results/linux.tsv" "$OUT/results/tskern.tsv")
  local envs; mapfile -t envs < <(tskern_env_args)
  echo "ltp: rerunning $(echo "$diffs" | grep -c .) differing tests under tskern exec --strace" >&2
  while IFS=$'\t' read -r name kind rel args; do
    grep -qxF "$name" <<<"$diffs" || continue
    local log=$logs/${name//\//_}.log
    (cd "$TSKERN_DIR" && timeout -k 10 "$TSKERN_TIMEOUT" pnpm -s tskern exec --strace "${envs[@]}" "${TSKERN_MOUNTS[@]}" "${TSKERN_CREDS[@]}" --cwd /tmp -- "$OUT/riscv64/$rel" $args) >"$log" 2>&1 </dev/null
    echo "  $name" >&2
  done < <(selected_tests)
  write_gaps
}

# riscv64 system call numbers to names, from the cross compiler's
# asm-generic/unistd.h, for the `syscall_N` lines of tskern's strace.
syscall_names() {
  local h
  h=$(echo '#include <asm/unistd.h>' | riscv64-linux-gnu-gcc -E -H -x c - 2>&1 >/dev/null | grep -m1 -o '/[^ ]*asm-generic/unistd.h')
  [ -n "$h" ] && sed -nE 's/^#define __NR_([a-z_0-9]+) ([0-9]+)$/syscall_\2 \1/p' "$h"
}

write_gaps() {
  local logs=$OUT/logs/tskern-strace t f line
  local diffs; diffs=$(awk -F'\t' 'FNR == NR { lin[$1] = $2; next } ($1 in lin) && lin[$1] != $2 { print $1 }' \
    "$OUT/results/linux.tsv" "$OUT/results/tskern.tsv")
  local names; names=$(syscall_names)
  {
    echo "# Kernel gaps seen by the tests that differ from Linux"
    echo
    echo "Gap: a system call answered ENOSYS, or a /proc, /sys, /dev or /boot path"
    echo "that does not exist (ENOENT), in \`tskern exec --strace\`. Not every gap"
    echo "causes the difference (glibc and LTP fall back from some); the first"
    echo "failure line per test says what the test itself reported."
    echo
    echo "| gap | tests |"
    echo "| --- | --- |"
    for t in $diffs; do
      f=$logs/${t//\//_}.log
      [ -f "$f" ] || continue
      grep -oE '^(\[pid +[0-9]+\] )?[a-z_0-9]+\(.*= -1 ENOSYS' "$f" | sed -E 's/^\[pid +[0-9]+\] //; s/\(.*//' | sort -u |
        awk -v names="$names" 'BEGIN { n = split(names, l, "\n"); for (i = 1; i <= n; i++) { split(l[i], w, " "); nm[w[1]] = w[2] } }
          { print (($1 in nm) ? nm[$1] " (" $1 ")" : $1) " ENOSYS" }'
      # /dev/shm is left out: LTP checks there for its own files after removing them.
      grep -oE '"/(proc|sys|dev|boot)/[^"]*"[^=]*= -1 ENOENT' "$f" | grep -v '"/dev/shm/' | sed -E 's/"([^"]*)".*/\1 ENOENT/; s#/proc/[0-9]+/#/proc/PID/#' | sort -u
    done | sort | uniq -c | sort -rn | awk '{ c = $1; $1 = ""; sub(/^ /, ""); printf "| %s | %d |\n", $0, c }'
    echo
    echo "| test | Linux | tskern | first failure line under tskern |"
    echo "| --- | --- | --- | --- |"
    for t in $diffs; do
      f=$logs/${t//\//_}.log
      [ -f "$f" ] || continue
      line=$(grep -vE '^(\[pid +[0-9]+\] )?[a-z_0-9]+\(' "$f" | grep -m1 -E '(TBROK|TFAIL|TCONF|FAIL|UNRESOLVED|UNSUPPORTED|UNTESTED|[Ee]rror|killed by)' | sed 's/|/\\|/g' | cut -c1-160)
      printf '| %s | %s | %s | %s |\n' "$t" \
        "$(awk -F'\t' -v n="$t" '$1 == n { print $2 }' "$OUT/results/linux.tsv")" \
        "$(awk -F'\t' -v n="$t" '$1 == n { print $2 }' "$OUT/results/tskern.tsv")" "${line:-?}"
    done
  } >"$OUT/gaps.md"
  echo "ltp: wrote $OUT/gaps.md" >&2
}

# --- table ----------------------------------------------------------------

print_table() {
  local qemu=0 ramfs=0 ext4=0
  case ",$COLUMNS," in *,qemu,*) qemu=1 ;; esac
  [ -f "$OUT/results/qemu.tsv" ] && qemu=1
  [ -f "$OUT/results/linux-ramfs.tsv" ] && ramfs=1
  [ -f "$OUT/results/tskern-ext4.tsv" ] && ext4=1
  local head="| test | Linux x86-64 | tskern riscv64 | same? |" rule="| --- | --- | --- | --- |"
  [ $ext4 = 1 ] && { head="$head tskern riscv64, /tmp on ext4 | same as Linux? |"; rule="$rule --- | --- |"; }
  [ $ramfs = 1 ] && { head="$head Linux x86-64, TMPDIR on ramfs | same as tskern? |"; rule="$rule --- | --- |"; }
  [ $qemu = 1 ] && { head="$head qemu-riscv64 (info) |"; rule="$rule --- |"; }
  echo "$head"; echo "$rule"
  selected_tests | cut -f1 | awk -F'\t' -v q=$qemu -v r=$ramfs -v R="$OUT/results/linux-ramfs.tsv" \
    -v e=$ext4 -v E="$OUT/results/tskern-ext4.tsv" \
    -v L="$OUT/results/linux.tsv" -v T="$OUT/results/tskern.tsv" -v Q="$OUT/results/qemu.tsv" '
    BEGIN {
      while ((getline l < L) > 0) { split(l, f, "\t"); lin[f[1]] = f[2] }
      while ((getline l < T) > 0) { split(l, f, "\t"); tsk[f[1]] = f[2] }
      while ((getline l < Q) > 0) { split(l, f, "\t"); qem[f[1]] = f[2] }
      while ((getline l < R) > 0) { split(l, f, "\t"); ram[f[1]] = f[2] }
      while ((getline l < E) > 0) { split(l, f, "\t"); tx4[f[1]] = f[2] }
    }
    {
      a = ($1 in lin) ? lin[$1] : "-"; b = ($1 in tsk) ? tsk[$1] : "-"
      same = (a != "-" && a == b) ? "yes" : "no"
      n++; if (same == "yes") s++
      kind = ($1 ~ /^posix\//) ? "posix" : "ltp"; nk[kind]++; if (same == "yes") sk[kind]++
      line = "| " $1 " | " a " | " b " | " same " |"
      if (e) {
        d = ($1 in tx4) ? tx4[$1] : "-"; same3 = (a != "-" && a == d) ? "yes" : "no"
        if (same3 == "yes") s3++
        line = line " " d " | " same3 " |"
      }
      if (r) {
        c = ($1 in ram) ? ram[$1] : "-"; same2 = (c != "-" && c == b) ? "yes" : "no"
        if (same2 == "yes") s2++
        line = line " " c " | " same2 " |"
      }
      if (q) line = line " " (($1 in qem) ? qem[$1] : "-") " |"
      print line
    }
    END {
      printf "\n**%d/%d same as Linux** (Open POSIX %d/%d, LTP %d/%d)\n", s, n, sk["posix"], nk["posix"], sk["ltp"], nk["ltp"]
      if (e) printf "\n**%d/%d same as Linux with tskern'"'"'s /tmp on ext4, as the host'"'"'s**\n", s3, n
      if (r) printf "\n**%d/%d same as Linux with TMPDIR on ramfs**\n", s2, n
    }'
}

# --- main -----------------------------------------------------------------

if [ $BUILD = 1 ] || [ $RUN = 1 ]; then
  [ -n "$SRC" ] || { echo "ltp: --src is required to build or run" >&2; exit 2; }
fi
[ -z "$SRC" ] || SRC=$(cd "$SRC" && pwd)
[ -n "$SRC" ] || SRC=$OUT/x86_64/src  # --table-only: the lists come from the copy
[ -f "$SRC/runtest/syscalls" ] || { echo "ltp: $SRC is not an LTP source tree" >&2; exit 2; }

if [ $BUILD = 1 ]; then
  need_tools
  IFS=, read -ra arches <<<"$ARCHES"
  for a in "${arches[@]}"; do prepare_ltp "$a"; build_posix "$a"; done
fi
if { [ $RUN = 1 ] && case ",$COLUMNS," in *,tskern,*|*,tskern-ext4,*) true ;; *) false ;; esac; } || [ $STRACE_DIFFS = 1 ]; then
  guest_tools
fi
if [ $RUN = 1 ]; then
  IFS=, read -ra cols <<<"$COLUMNS"
  for c in "${cols[@]}"; do run_column "$c"; done
fi
[ $STRACE_DIFFS = 1 ] && strace_diffs
[ $GAPS_ONLY = 1 ] && write_gaps
print_table | tee "$OUT/table.md"
