/* mincore: which pages are resident, for anonymous, shared and file mappings, and its errors (mm/mincore.c). */
#include "rt.h"

int main(void) {
	u8 *p = map_anon(8 * PAGE, PROT_READ | PROT_WRITE);
	say("fresh anonymous mapping: %d of 8 resident\n", resident(p, 8));
	p[0] = 1, p[3 * PAGE] = 1, p[7 * PAGE + 100] = 1;
	u8 vec[8];
	CHECK(sys_mincore(p, 8 * PAGE, vec) == 0);
	say("after stores to pages 0, 3, 7: ");
	for (int i = 0; i < 8; i++) say("%d", vec[i] & 1);
	say("\n");
	/* a read fault maps the shared zero page; mincore counts it as resident (mincore_pte_range: pte present) */
	volatile u8 v = p[5 * PAGE];
	(void)v;
	say("after a load from page 5: %d resident\n", resident(p, 8));
	CHECK(sys_madvise((long)p, 8 * PAGE, MADV_DONTNEED) == 0);
	say("after MADV_DONTNEED: %d resident\n", resident(p, 8));
	/* a length that is not a page multiple covers the partial page */
	p[0] = 1;
	CHECK(sys_mincore(p, 1, vec) == 0);
	say("mincore(1 byte): %d\n", vec[0] & 1);
	/* shared file pages are in the page cache even when this mapping never touched them */
	char path[128];
	int fd = open_tmp("/dev/shm", "", path);
	CHECK(sys_ftruncate(fd, 4 * PAGE) == 0);
	CHECK(sys_pwrite(fd, "x", 1, 2 * PAGE) == 1);
	long f = sys_mmap(0, 4 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(sys_mincore((void *)f, 4 * PAGE, vec) == 0);
	say("shared file mapping, only page 2 written by pwrite: %d%d%d%d\n", vec[0] & 1, vec[1] & 1, vec[2] & 1, vec[3] & 1);
	/* shared anonymous pages touched by a child are resident for the parent */
	long s = sys_mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long pid = sys_fork();
	if (pid == 0) {
		((u8 *)s)[PAGE] = 1;
		sys_exit_group(0);
	}
	wait_status(pid);
	CHECK(sys_mincore((void *)s, 2 * PAGE, vec) == 0);
	say("shared anonymous, page 1 stored by a child: %d%d\n", vec[0] & 1, vec[1] & 1);
	expect("an unaligned address", sys_mincore(p + 1, PAGE, vec), EINVAL);
	long guard = sys_mmap(0, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(sys_munmap(guard + PAGE, PAGE) == 0);
	expect("a range ending in an unmapped page", sys_mincore((void *)guard, 2 * PAGE, vec), ENOMEM);
	expect("a vector in read-only memory", sys_mincore(p, PAGE, (void *)f), EFAULT);
	expect("length 0", sys_mincore(p, 0, vec), 0);
	CHECK(sys_unlink(path) == 0);
	return 0;
}
