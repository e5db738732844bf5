#!/usr/bin/env bash
# The riscv64 programs LTP's tests run inside tskern (issue 10): e2fsprogs,
# whose mkfs.ext2/ext3/ext4 tst_device's tests find through PATH, and dash as
# /bin/sh (LTP asks `system("mkfs.FS >/dev/null 2>&1")` whether a mkfs
# exists: without a shell the answer is 127, "does not exist"), with the
# shared libraries and loader they need, from Debian trixie's riscv64
# archive. Fetched, checked against the SHA256 of the archive's Packages
# index, and unpacked with `dpkg-deb -x` under the given directory, never in
# the repository; a second run with the same package set does nothing.
#
# usage: bash tooling/ltp/guest-tools.sh DIR
#   prints the root it made (DIR/guest-root): a merged-/usr Debian tree,
#   usr/sbin/mke2fs, usr/bin/sh, usr/lib/riscv64-linux-gnu/*.so, usr/lib/ld-linux-riscv64-lp64d.so.1,
#   with lib, bin and sbin symlinks to their usr/ directories as base-files makes them.
# environment: DEBIAN_MIRROR (default http://deb.debian.org/debian),
#   DEBIAN_SUITE (default trixie), GUEST_PACKAGES (the roots, default "e2fsprogs dash").
set -eu -o pipefail

DIR=${1:?usage: guest-tools.sh DIR}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=${DEBIAN_SUITE:-trixie}
ROOTS=${GUEST_PACKAGES:-e2fsprogs dash}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
case "$DIR/" in "$REPO"/*) echo "guest-tools: $DIR is inside the repository ($REPO)" >&2; exit 2 ;; esac
for t in curl xz dpkg-deb sha256sum; do
  command -v "$t" >/dev/null || { echo "guest-tools: $t is missing (apt-get install curl xz-utils dpkg coreutils)" >&2; exit 1; }
done

CACHE=$DIR/guest-debs ROOT=$DIR/guest-root
mkdir -p "$CACHE"
# The index is fetched once; delete it to follow the archive again.
INDEX=$CACHE/Packages-$SUITE-riscv64
if [ ! -s "$INDEX" ]; then
  echo "guest-tools: fetching $MIRROR/dists/$SUITE/main/binary-riscv64/Packages.xz" >&2
  curl -fsS "$MIRROR/dists/$SUITE/main/binary-riscv64/Packages.xz" | xz -dc >"$INDEX.tmp"
  mv "$INDEX.tmp" "$INDEX"
fi

# The closure of Depends and Pre-Depends from the roots, one line per
# package: NAME VERSION FILENAME SHA256. Alternatives take the first name;
# version constraints are not checked (one suite, one version of each).
closure() {
  awk -v roots="$ROOTS" '
    function field(name,   re, m) { re = "(^|\n)" name ": [^\n]*"; if (match($0, re)) { m = substr($0, RSTART, RLENGTH); sub(/^\n/, "", m); sub(/^[^:]*: /, "", m); return m } return "" }
    BEGIN { RS = "" }
    { p = field("Package"); if (!(p in ver)) { ver[p] = field("Version"); file[p] = field("Filename"); sum[p] = field("SHA256"); deps[p] = field("Pre-Depends") ", " field("Depends") } }
    END {
      n = split(roots, todo, " ")
      for (i = 1; i <= n; i++) {
        p = todo[i]; if (p in seen) continue; seen[p] = 1
        if (!(p in ver)) { print "guest-tools: no package " p > "/dev/stderr"; exit 1 }
        printf "%s %s %s %s\n", p, ver[p], file[p], sum[p]
        m = split(deps[p], d, ",")
        for (j = 1; j <= m; j++) { q = d[j]; sub(/\|.*/, "", q); sub(/\(.*/, "", q); sub(/:any/, "", q); gsub(/[ \t]/, "", q); if (q != "" && !(q in seen)) todo[++n] = q }
      }
    }' "$INDEX" | sort
}
WANT=$(closure)

if [ -f "$ROOT/.guest-tools" ] && [ "$(cat "$ROOT/.guest-tools")" = "$WANT" ]; then
  echo "$ROOT"
  exit 0
fi

rm -rf "$ROOT.tmp"
mkdir -p "$ROOT.tmp"
while read -r name version file sum; do
  deb=$CACHE/$(basename "$file")
  if [ ! -f "$deb" ] || ! echo "$sum  $deb" | sha256sum -c --status; then
    echo "guest-tools: fetching $name $version" >&2
    curl -fsS -o "$deb.tmp" "$MIRROR/$file"
    echo "$sum  $deb.tmp" | sha256sum -c --status || { echo "guest-tools: $file: SHA256 differs from the Packages index" >&2; rm -f "$deb.tmp"; exit 1; }
    mv "$deb.tmp" "$deb"
  fi
  dpkg-deb -x "$deb" "$ROOT.tmp"
done <<<"$WANT"
# Debian's merged /usr (base-files in trixie): /lib, /bin and /sbin are
# symlinks into /usr, and PT_INTERP names /lib/ld-linux-riscv64-lp64d.so.1.
for d in lib bin sbin; do
  [ -e "$ROOT.tmp/$d" ] || ln -s "usr/$d" "$ROOT.tmp/$d"
done
echo "$WANT" >"$ROOT.tmp/.guest-tools"
rm -rf "$ROOT"
mv "$ROOT.tmp" "$ROOT"
echo "guest-tools: $(echo "$WANT" | wc -l) packages in $ROOT" >&2
echo "$ROOT"
