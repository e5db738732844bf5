#!/usr/bin/env bash
# Self-test of the Linux runner.
#
#  1. Every test/*.scn runs under --check. By default it must exit 0; a file
#     may ask otherwise with header comments (the runner ignores them):
#        # expect-exit: N          the exit status
#        # expect-stdout: TEXT     a line that must appear on stdout
#        # expect-stderr: TEXT     a line that must start a line on stderr
#  2. One-line scenario errors: each must exit 2 with "LINE: scenario error".
#  3. The command line: several files, headers, worst status, usage errors.
#  4. Nothing left behind: none of the /dev/shm objects, scratch directories
#     or processes these runs made exists once they are over. The runner
#     names each one in a ledger (LINUX_RUNNER_LEDGER, see src/ledger.h) and
#     only those are checked, so other users of /tmp and /dev/shm and other
#     runs of the runner on the machine neither disturb the check nor are
#     touched by it (test/neighbours.sh checks that).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/build.sh" || exit 1
R="$here/build/linux-runner"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export LINUX_RUNNER_LEDGER="$tmp/ledger"

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# Whether process $1 still exists and is the one that started at $2 (field
# 22 of /proc/PID/stat; 0 when the runner could not read it: any process
# with that pid then counts, to be safe).
alive() {
	local start
	start="$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20)" || return 1
	[ -n "$start" ] && { [ "$2" = 0 ] || [ "$start" = "$2" ]; }
}

# What the ledger $1 names that still exists, one per line.
leftovers() {
	[ -f "$1" ] || return 0
	while read -r kind a b; do
		case "$kind" in
		dir) [ -e "$a" ] && echo "directory $a" ;;
		shm) [ -e "/dev/shm/$a" ] && echo "shm object /$a" ;;
		shm-token)
			for f in "/dev/shm/$a"*; do
				[ -e "$f" ] && echo "shm object /${f#/dev/shm/}"
			done
			;;
		pid) alive "$a" "$b" && echo "process $a" ;;
		esac
	done <"$1" | sort -u
}

# The check itself finds what a ledger names and nothing else: a live
# process (this shell), a directory, a shm object of this test's own (then
# gone once removed), and nothing for a token no object carries.
probe="tskern-selftest-probe-$$"
: >"/dev/shm/$probe"
printf 'pid %s %s\nshm %s\nshm-token %s-none-\ndir %s\n' "$$" \
	"$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f20)" "$probe" "$probe" "$tmp" >"$tmp/probe-ledger"
found="$(leftovers "$tmp/probe-ledger" | tr '\n' ',')"
rm -f "/dev/shm/$probe"
[ "$found" = "directory $tmp,process $$,shm object /$probe," ] && ok || bad "leftovers() found: $found"
found="$(leftovers "$tmp/probe-ledger" | tr '\n' ',')"
[ "$found" = "directory $tmp,process $$," ] && ok || bad "leftovers() after removal: $found"

# 1. scenario files
for f in "$here"/test/*.scn; do
	name="$(basename "$f")"
	want="$(sed -n 's/^# expect-exit: *//p' "$f")"
	want="${want:-0}"
	"$R" --check "$f" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	good=1
	if [ "$rc" != "$want" ]; then
		bad "$name: exit $rc, expected $want"
		good=0
	fi
	while IFS= read -r line; do
		grep -qxF -- "$line" "$tmp/out" || { bad "$name: no stdout line '$line'"; good=0; }
	done < <(sed -n 's/^# expect-stdout: //p' "$f")
	while IFS= read -r line; do
		grep -q -- "^$(printf '%s' "$line" | sed 's/[][\.*^$]/\\&/g')" "$tmp/err" ||
			{ bad "$name: no stderr line starting '$line'"; good=0; }
	done < <(sed -n 's/^# expect-stderr: //p' "$f")
	if [ "$want" = 0 ] && [ -s "$tmp/err" ]; then
		bad "$name: unexpected stderr"
		good=0
	fi
	if [ "$good" = 1 ]; then ok; else sed 's/^/    /' "$tmp/err"; fi
done

# 2. scenario errors: the body's last line is the bad one.
errors=(
	'p1 nonsense'
	'p1 fork'
	'p1 fork p2 p3'
	'p1 mmap A 0 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS -1'
	'p2 eq 0 0'
	'p1 fork p2\np2 exit\np2 eq 0 0'
	'p1 fork p2\np2 exit\np1 fork p2'
	'p1 fork p1'
	'p1 close F'
	'p1 munmap A 4K'
	'p1 mmap A 0 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS -1 0\np1 close A'
	'p1 open F "f" O_RDWR|O_CREAT\np1 peek F 1'
	'p1 open F "f" O_RDWR|O_CREAT\np1 fork F'
	'p1 open p1 "f" O_RDWR|O_CREAT'
	'p1 peek p1 1'
	'F eq 0 0'
	'p1 open F "nope" O_RDONLY\np1 close F'
	'p1 mmap A 0 0 PROT_READ MAP_PRIVATE|MAP_ANONYMOUS -1 0\np1 peek A 1'
	'p1 mmap A 0 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS -1 0\np1 peek A+4K-2 1'
	'p1 mmap A 0 4K PROT_READ MAP_PRIVATE|MAP_ANONYMOUS -1 0\np1 peek A+-2 1'
	'p1 mmap A 0 4K O_RDONLY MAP_PRIVATE|MAP_ANONYMOUS -1 0'
	'p1 mmap A 0 4K PROT_READ MAP_PRIVATE|MAP_BOGUS -1 0'
	'p1 mmap A 0 4K PROT_READ MAP_PRIVATE||MAP_ANONYMOUS -1 0'
	'p1 lseek F 0 PROT_READ'
	'p1 open F "f" O_RDWR|O_CREAT PROT_READ'
	'p1 open F "f" O_RDWR|O_CREAT 08'
	'p1 peek 0 09'
	'p1 peek 0 4k'
	'p1 peek 0 0x'
	'p1 peek 0 18446744073709551616'
	'p1 peek 0 16777216T'
	'p1 fill 0 1 256'
	'p1 fill 0 1 -1'
	'p1 poke 0 "\\q"'
	'p1 poke 0 "\\x4"'
	'p1 poke 0 "\\101"'
	'p1 poke 0 "open'
	'p1 poke 0 "a"b'
	'p1 poke 0 a"b"'
	'p1 poke 0 abc'
	'p1 peek "0" 1'
	'p1 open F "/etc/passwd" O_RDONLY'
	'p1 open F "/dev/shm" O_RDONLY'
	'p1 unlink "/dev/shm/../x"'
	'p1 open F "a\\0b" O_RDONLY'
	'p1 shm_open F "/a\\0b" O_RDONLY'
	'p1 shm_unlink "\\0"'
	'=> ok'
	'  => ok # no operation'
	'p1 => ok'
	'1p eq 0 0'
	'p1 maps 0xfffffffffffff000 8K'
)
for body in "${errors[@]}"; do
	printf "$body\n" >"$tmp/e.scn"
	last="$(wc -l <"$tmp/e.scn" | tr -d ' ')"
	"$R" "$tmp/e.scn" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" = 2 ] && grep -q "^$last: scenario error: " "$tmp/err"; then
		ok
	else
		bad "scenario error expected (exit 2, line $last) for: $body  [exit $rc: $(cat "$tmp/err")]"
	fi
done

# 3. several files: "== NAME" headers, worst status wins
t="$here/test"
"$R" --check "$t/spec-example.scn" "$t/check-mismatch.scn" "$t/lexical.scn" >"$tmp/out" 2>/dev/null
rc=$?
[ "$rc" = 1 ] && ok || bad "two files, one mismatch: exit $rc, expected 1"
[ "$(grep '^== ' "$tmp/out" | tr '\n' ' ')" = "== spec-example.scn == check-mismatch.scn == lexical.scn " ] &&
	ok || bad "headers: $(grep '^== ' "$tmp/out" | tr '\n' ' ')"
"$R" --check "$t/error-after-output.scn" "$t/check-mismatch.scn" "$t/processes.scn" >"$tmp/out" 2>/dev/null
rc=$?
[ "$rc" = 2 ] && ok || bad "scenario error among files: exit $rc, expected 2"
grep -qx -- "== processes.scn" "$tmp/out" && ok || bad "a scenario error must stop only its own file"
"$R" "$t/check-mismatch.scn" >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" = 0 ] && [ ! -s "$tmp/err" ] && ok || bad "without --check expectations are ignored: exit $rc"
"$R" "$t/spec-example.scn" | head -1 | grep -qx '2: ok' && ok || bad "single file: no header"
"$R" >/dev/null 2>&1
[ $? = 2 ] && ok || bad "no file: usage error expected"
"$R" --frobnicate "$t/spec-example.scn" >/dev/null 2>&1
[ $? = 2 ] && ok || bad "unknown option: usage error expected"
"$R" "$tmp/missing.scn" >/dev/null 2>&1
[ $? = 2 ] && ok || bad "missing file: exit 2 expected"

# 4. nothing left behind (of what the ledger says these runs made)
sleep 0.2
grep -q '^dir ' "$LINUX_RUNNER_LEDGER" && grep -q '^pid ' "$LINUX_RUNNER_LEDGER" &&
	ok || bad "the runner wrote no ledger: the leak check would see nothing"
left="$(leftovers "$LINUX_RUNNER_LEDGER")"
[ -z "$left" ] && ok || bad "left behind: $(echo "$left" | tr '\n' ' ')"

echo "linux-runner self-test: $pass passed, $fail failed"
[ "$fail" = 0 ]
