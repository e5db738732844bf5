/* getrandom: sizes, flags and errors (drivers/char/random.c); the bytes themselves are never printed. */
#include "rt.h"

#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4

int main(void) {
	u8 a[64], b[64];
	memset(a, 0, sizeof a), memset(b, 0, sizeof b);
	expect("getrandom(64)", sys_getrandom(a, 64, 0), 0);
	say("  returned %ld\n", sys_getrandom(b, 64, 0));
	say("two draws differ: %s\n", yes(memcmp(a, b, 64) != 0));
	say("GRND_NONBLOCK returns 16: %s\n", yes(sys_getrandom(a, 16, GRND_NONBLOCK) == 16));
	say("GRND_RANDOM returns 16: %s\n", yes(sys_getrandom(a, 16, GRND_RANDOM) == 16));
	say("GRND_INSECURE returns 16: %s\n", yes(sys_getrandom(a, 16, GRND_INSECURE) == 16));
	expect("length 0", sys_getrandom(a, 0, 0), 0);
	expect("an unknown flag", sys_getrandom(a, 16, 0x40), EINVAL);
	expect("GRND_INSECURE|GRND_RANDOM", sys_getrandom(a, 16, GRND_INSECURE | GRND_RANDOM), EINVAL);
	expect("a bad buffer", sys_getrandom((void *)8, 16, 0), EFAULT);
	/* a large request: at least the first 256 bytes, in whole (the kernel may stop at a signal) */
	u8 *big = map_anon(16 * PAGE, PROT_READ | PROT_WRITE);
	long r = sys_getrandom(big, 16 * PAGE, 0);
	say("getrandom(64 KiB) returns all of it: %s\n", yes(r == 16 * PAGE));
	/* a buffer that runs into a read-only page: bytes up to it, or EFAULT if none */
	u8 *two = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);
	CHECK(sys_mprotect((long)two + PAGE, PAGE, PROT_READ) == 0);
	r = sys_getrandom(two + PAGE - 8, 64, 0);
	say("a buffer crossing into a read-only page: %s, %ld bytes\n", r < 0 ? err(r) : "partial", r < 0 ? 0 : r);
	/* the child and the parent draw different bytes */
	long *sh = (long *)sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long pid = sys_fork();
	if (pid == 0) {
		sys_getrandom(sh, 16, 0);
		sys_exit_group(0);
	}
	wait_status(pid);
	sys_getrandom(sh + 2, 16, 0);
	say("parent and child draw different bytes: %s\n", yes(sh[0] != sh[2] || sh[1] != sh[3]));
	return 0;
}
