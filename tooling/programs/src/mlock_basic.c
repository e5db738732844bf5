/* mlock, munlock, mlockall: locked pages are resident at once (mm/mlock.c); VmLck in /proc/self/status follows. */
#include "rt.h"

static long vmlck_kb(void) {
	char text[4096];
	CHECK(read_all("/proc/self/status", text, sizeof text) > 0);
	for (const char *p = text; *p; p++) {
		if (strncmp(p, "VmLck:", 6) == 0) {
			p += 6;
			while (*p == ' ' || *p == '\t') p++;
			long v = 0;
			while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
			return v;
		}
	}
	return -1;
}

int main(void) {
	u8 *p = map_anon(8 * PAGE, PROT_READ | PROT_WRITE);
	long base = vmlck_kb();
	say("before: resident %d of 8\n", resident(p, 8));
	expect("mlock 3 pages", sys_mlock((long)p + 2 * PAGE, 3 * PAGE), 0);
	say("after: resident %d of 8, VmLck grew by %ld kB\n", resident(p, 8), vmlck_kb() - base);
	expect("mlock an unaligned start (rounded down)", sys_mlock((long)p + 100, 10), 0);
	say("  resident %d, VmLck grew by %ld kB\n", resident(p, 8), vmlck_kb() - base);
	expect("munlock all 8", sys_munlock((long)p, 8 * PAGE), 0);
	say("after munlock: VmLck grew by %ld kB, still resident %d\n", vmlck_kb() - base, resident(p, 8));
	char line[256];
	/* an mlock'd range splits the mapping in /proc/self/maps (it is a VMA flag) */
	int before = maps_count();
	CHECK(sys_mlock((long)p + 4 * PAGE, PAGE) == 0);
	say("mlock of a middle page: +%d lines\n", maps_count() - before);
	CHECK(sys_munlock((long)p + 4 * PAGE, PAGE) == 0);
	say("munlock again: +%d lines\n", maps_count() - before);
	CHECK(maps_find(p, line, sizeof line));
	/* mlockall(MCL_CURRENT|MCL_FUTURE): new mappings are populated and locked at once */
	expect("mlockall(MCL_CURRENT|MCL_FUTURE)", sys_mlockall(MCL_CURRENT | MCL_FUTURE), 0);
	u8 *q = map_anon(4 * PAGE, PROT_READ | PROT_WRITE);
	say("a mapping made after MCL_FUTURE: resident %d of 4\n", resident(q, 4));
	expect("munlockall", sys_munlockall(), 0);
	u8 *r = map_anon(4 * PAGE, PROT_READ | PROT_WRITE);
	say("a mapping made after munlockall: resident %d of 4, VmLck back to the start: %s\n", resident(r, 4), yes(vmlck_kb() == base));
	expect("mlockall(0)", sys_mlockall(0), EINVAL);
	/* locks are not inherited across fork (mm/mmap.c dup_mmap clears VM_LOCKED) */
	CHECK(sys_mlock((long)p, 2 * PAGE) == 0);
	long pid = sys_fork();
	if (pid == 0) sys_exit_group(vmlck_kb() == base ? 0 : 1);
	report_child("child's VmLck equals the unlocked start", wait_status(pid));
	return 0;
}
