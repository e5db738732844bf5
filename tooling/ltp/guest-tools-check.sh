#!/usr/bin/env bash
# Checks the guest tools on tskern against Linux: mkfs.ext2, mkfs.ext3 and
# mkfs.ext4 of guest-tools.sh's riscv64 e2fsprogs make a 10 MiB image in
# tskern's /tmp (ramfs), then e2fsck -fn, dumpe2fs -h and debugfs -R stats
# read it there, all in one `tskern exec` (dash runs them), and e2image -ra
# copies it out through a --mount'ed host directory (the guest has no cp). The same programs then
# run under qemu-riscv64 on the host (Linux answering their system calls)
# with the same UUID, hash seed, time and mke2fs.conf: the outputs and the
# images must be byte for byte the same. The host's own e2fsck -fn must find
# tskern's images clean.
#
# usage: bash tooling/ltp/guest-tools-check.sh OUT   (OUT as for run.sh; outside the repository)
set -u -o pipefail

OUT=${1:?usage: guest-tools-check.sh OUT}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
ROOT=$(bash "$REPO/tooling/ltp/guest-tools.sh" "$OUT") || exit 1
command -v qemu-riscv64 >/dev/null || { echo "guest-tools-check: qemu-riscv64 is missing (apt-get install qemu-user)" >&2; exit 1; }
WORK=$OUT/guest-tools-check
rm -rf "$WORK"
mkdir -p "$WORK/tskern" "$WORK/qemu"
# The host's mke2fs.conf for both: the guest's own (1.47.2) enables orphan_file, the host's may not.
cp /etc/mke2fs.conf "$WORK/mke2fs.conf"
FIXED=(-U 01234567-89ab-cdef-0123-456789abcdef -E hash_seed=76543210-89ab-cdef-0123-456789abcdef)
FAKE_TIME=1700000000

# The commands, for dash inside tskern ($1: the image directory, $2: where outputs go);
# the guest has no rm, so each file system gets its own image.
cat >"$WORK/run.sh" <<EOF
for fs in ext2 ext3 ext4; do
  img=\$1/\$fs.img
  mkfs.\$fs -F -b 1024 ${FIXED[*]} \$img 10240 >\$2/\$fs.mkfs 2>&1; echo "status \$?" >>\$2/\$fs.mkfs
  e2fsck -fn \$img >\$2/\$fs.e2fsck 2>&1; echo "status \$?" >>\$2/\$fs.e2fsck
  dumpe2fs -h \$img >\$2/\$fs.dumpe2fs 2>&1; echo "status \$?" >>\$2/\$fs.dumpe2fs
  debugfs -R stats \$img >\$2/\$fs.debugfs 2>&1; echo "status \$?" >>\$2/\$fs.debugfs
  e2image -ra \$img \$2/\$fs.img >/dev/null 2>&1 || echo "e2image failed" >&2
done
EOF

start=$(date +%s)
(cd "$REPO" && pnpm -s tskern exec --env PATH=/usr/sbin:/usr/bin:/sbin:/bin --env E2FSPROGS_FAKE_TIME=$FAKE_TIME \
  --env MKE2FS_CONFIG=/check/mke2fs.conf --sysroot "$ROOT" --mount /etc:/etc:ro --mount "$WORK:/check" \
  -- "$ROOT/usr/bin/dash" /check/run.sh /tmp /check/tskern) || { echo "guest-tools-check: tskern exec failed" >&2; exit 1; }
echo "guest-tools-check: tskern: $(( $(date +%s) - start ))s" >&2

# qemu-riscv64 -L ROOT runs each program; the image is a host file, named
# /tmp/FS.img in the outputs as in tskern.
q() { local p=$1; shift; E2FSPROGS_FAKE_TIME=$FAKE_TIME MKE2FS_CONFIG=$WORK/mke2fs.conf qemu-riscv64 -L "$ROOT" "$ROOT/usr/sbin/$p" "$@"; }
for fs in ext2 ext3 ext4; do
  o=$WORK/qemu/$fs img=$WORK/qemu/host-$fs.img
  q mkfs.$fs -F -b 1024 "${FIXED[@]}" "$img" 10240 >$o.mkfs 2>&1; echo "status $?" >>$o.mkfs
  q e2fsck -fn "$img" >$o.e2fsck 2>&1; echo "status $?" >>$o.e2fsck
  q dumpe2fs -h "$img" >$o.dumpe2fs 2>&1; echo "status $?" >>$o.dumpe2fs
  q debugfs -R stats "$img" >$o.debugfs 2>&1; echo "status $?" >>$o.debugfs
  sed -i "s#$img#/tmp/$fs.img#g" $o.mkfs $o.e2fsck $o.dumpe2fs $o.debugfs
  # e2image -ra copies as it does inside tskern (it rewrites the backup superblocks' group numbers).
  q e2image -ra "$img" $o.img >/dev/null 2>&1 || echo "e2image failed" >&2
  rm -f "$img"
done

bad=0
for fs in ext2 ext3 ext4; do
  for what in e2fsck dumpe2fs debugfs img; do
    if cmp -s "$WORK/qemu/$fs.$what" "$WORK/tskern/$fs.$what"; then echo "same  $fs $what"; else echo "DIFF  $fs $what"; bad=1; fi
  done
  # mke2fs's progress counters ("0/2", "1/2") print when a wall-clock second passes: timing, not the kernel.
  if diff -q <(sed -E 's#[0-9]+/[0-9]+[ \b]*##g' "$WORK/qemu/$fs.mkfs") <(sed -E 's#[0-9]+/[0-9]+[ \b]*##g' "$WORK/tskern/$fs.mkfs") >/dev/null; then
    echo "same  $fs mkfs (progress counters aside)"
  else echo "DIFF  $fs mkfs"; bad=1; fi
  if command -v e2fsck >/dev/null; then
    if e2fsck -fn "$WORK/tskern/$fs.img" >/dev/null 2>&1; then echo "clean $fs: the host's e2fsck -fn"; else echo "DIRTY $fs: the host's e2fsck -fn"; bad=1; fi
  fi
done
[ $bad = 0 ] && echo "guest-tools-check: tskern's mkfs, e2fsck, dumpe2fs and debugfs match Linux's (qemu-riscv64) outputs and images" >&2
exit $bad
