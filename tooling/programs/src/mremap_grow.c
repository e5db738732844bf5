/* mremap growing: in place when the pages after are free, moved with MREMAP_MAYMOVE when not, ENOMEM without it. */
#include "rt.h"

int main(void) {
	/* reserve 8 pages, keep 2 mapped: the 6 after them are known free */
	long base = sys_mmap(0, 8 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(sys_munmap(base + 2 * PAGE, 6 * PAGE) == 0);
	CHECK(sys_mprotect(base, 2 * PAGE, PROT_READ | PROT_WRITE) == 0);
	u8 *p = (u8 *)base;
	p[0] = 1, p[PAGE] = 2;
	long r = sys_mremap(base, 2 * PAGE, 4 * PAGE, 0, 0);
	say("grow 2 -> 4 pages in place: %s, same address: %s\n", err(r), yes(r == base));
	say("old data kept: %d %d, new pages zero: %s\n", p[0], p[PAGE], yes(p[2 * PAGE] == 0 && p[3 * PAGE + 7] == 0));
	p[3 * PAGE] = 4;
	/* block the page after the mapping: growing in place is impossible now */
	long blk = sys_mmap(base + 4 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(blk == base + 4 * PAGE);
	expect("grow to 6 pages without MREMAP_MAYMOVE", sys_mremap(base, 4 * PAGE, 6 * PAGE, 0, 0), ENOMEM);
	r = sys_mremap(base, 4 * PAGE, 6 * PAGE, MREMAP_MAYMOVE, 0);
	say("grow to 6 pages with MREMAP_MAYMOVE: %s, moved: %s\n", err(r), yes(r != base));
	u8 *q = (u8 *)r;
	say("data moved along: %d %d %d\n", q[0], q[PAGE], q[3 * PAGE]);
	u8 vec[1];
	expect("the old address is unmapped", sys_mincore(base, PAGE, vec), ENOMEM);
	say("the blocking page is untouched: %s\n", yes(sys_mincore(blk, PAGE, vec) == 0));
	/* a shared anonymous mapping grows too, and stays shared with a child */
	long s = sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long pid = sys_fork();
	if (pid == 0) {
		while (((volatile u8 *)s)[0] != 9) sys_sched_yield();
		sys_exit_group(0);
	}
	long s2 = sys_mremap(s, PAGE, 3 * PAGE, MREMAP_MAYMOVE, 0);
	CHECK(!MAP_FAILED_P(s2));
	((volatile u8 *)s2)[0] = 9; /* the child's mapping is the same object */
	report_child("child waiting on the grown shared mapping", wait_status(pid));
	/* growing a file mapping past EOF: the new pages raise SIGBUS (not tested), but the call succeeds */
	char path[128];
	int fd = open_tmp("/dev/shm", "", path);
	CHECK(sys_ftruncate(fd, PAGE) == 0);
	long f = sys_mmap(0, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	expect("grow a 1-page file mapping to 4 pages", sys_mremap(f, PAGE, 4 * PAGE, MREMAP_MAYMOVE, 0), 0);
	CHECK(sys_unlink(path) == 0);
	return 0;
}
