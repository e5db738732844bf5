/* mprotect on part of a mapping splits it (mm/mprotect.c), and merging back restores one line. */
#include "rt.h"

static const char *perms(void *addr) {
	static char line[256];
	if (!maps_find(addr, line, sizeof line)) return "unmapped";
	const char *p = line;
	while (*p != ' ') p++;
	static char pr[4][5]; /* several results in one say() */
	static int next;
	char *r = pr[next++ & 3];
	memcpy(r, p + 1, 4);
	r[4] = 0;
	return r;
}

int main(void) {
	int base = maps_count();
	u8 *p = map_anon(4 * PAGE, PROT_READ | PROT_WRITE);
	int one = maps_count();
	say("a new 4-page mapping: %d line(s), perms %s\n", one - base, perms(p));
	CHECK(sys_mprotect(p + PAGE, PAGE, PROT_READ) == 0);
	say("mprotect the 2nd page read-only: %d line(s) more; perms %s %s %s\n", maps_count() - one, perms(p),
	    perms(p + PAGE), perms(p + 2 * PAGE));
	CHECK(sys_mprotect(p + 2 * PAGE, 2 * PAGE, PROT_NONE) == 0);
	say("the last two PROT_NONE: %d line(s) more; perms %s %s %s\n", maps_count() - one, perms(p),
	    perms(p + PAGE), perms(p + 3 * PAGE));
	CHECK(sys_mprotect(p, 4 * PAGE, PROT_READ | PROT_WRITE) == 0);
	say("all back to read-write: %d line(s) more (merged); perms %s\n", maps_count() - one, perms(p + 3 * PAGE));
	CHECK(sys_mprotect(p, 4 * PAGE, PROT_READ | PROT_EXEC) == 0);
	say("PROT_READ|PROT_EXEC: perms %s\n", perms(p));
	CHECK(sys_mprotect(p, 4 * PAGE, PROT_WRITE) == 0);
	say("PROT_WRITE alone: perms %s\n", perms(p));
	/* mprotect keeps data */
	CHECK(sys_mprotect(p, 4 * PAGE, PROT_READ | PROT_WRITE) == 0);
	p[PAGE] = 9;
	CHECK(sys_mprotect(p, 4 * PAGE, PROT_READ) == 0);
	say("data survives mprotect: %s\n", yes(p[PAGE] == 9));
	expect("write(2) into the PROT_READ range", sys_read(sys_open("/dev/zero", O_RDONLY, 0), p, 1), EFAULT);
	/* two adjacent anonymous mappings with equal flags merge into one line */
	int before = maps_count();
	long a = sys_mmap(0, 3 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); /* room for both */
	CHECK(sys_mmap(a, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == a);
	say("2 pages mapped over a 3-page PROT_NONE reservation: %d line(s) more\n", maps_count() - before);
	long b = sys_mmap(a + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(b == a + 2 * PAGE);
	say("an adjacent equal mapping on the 3rd merges: %d line(s) more\n", maps_count() - before);
	/* a mprotect whose range includes a hole changes what it can and fails with ENOMEM */
	CHECK(sys_munmap(a + PAGE, PAGE) == 0);
	expect("mprotect over a hole", sys_mprotect(a, 3 * PAGE, PROT_READ | PROT_WRITE), ENOMEM);
	say("the page before the hole changed: perms %s; after it: %s\n", perms((void *)a), perms((void *)(a + 2 * PAGE)));
	return 0;
}
