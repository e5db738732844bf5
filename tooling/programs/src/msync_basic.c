/* msync: flags, ranges and errors (mm/msync.c); a file reads what was stored through the mapping. */
#include "rt.h"

int main(void) {
	char path[128];
	int fd = open_tmp("/tmp", "", path);
	CHECK(sys_ftruncate(fd, 4 * PAGE) == 0);
	long m = sys_mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	memcpy((u8 *)m + PAGE, "synced", 6);
	expect("MS_SYNC", sys_msync(m, 4 * PAGE, MS_SYNC), 0);
	expect("MS_ASYNC", sys_msync(m, 4 * PAGE, MS_ASYNC), 0);
	expect("MS_INVALIDATE", sys_msync(m, 4 * PAGE, MS_INVALIDATE), 0);
	expect("flags 0", sys_msync(m, 4 * PAGE, 0), 0);
	expect("a partial page length", sys_msync(m, 10, MS_SYNC), 0);
	expect("length 0", sys_msync(m, 0, MS_SYNC), 0);
	char buf[8] = {0};
	CHECK(sys_pread(fd, buf, 6, PAGE) == 6);
	say("the file after msync: %s\n", buf);
	expect("MS_SYNC|MS_ASYNC", sys_msync(m, PAGE, MS_SYNC | MS_ASYNC), EINVAL);
	expect("an unknown flag", sys_msync(m, PAGE, 8), EINVAL);
	expect("an unaligned address", sys_msync(m + 1, PAGE, MS_SYNC), EINVAL);
	long guard = sys_mmap(0, 3 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(sys_munmap(guard + PAGE, PAGE) == 0);
	expect("an unmapped range", sys_msync(guard + PAGE, PAGE, MS_SYNC), ENOMEM);
	expect("a range with a hole (done up to it, then ENOMEM)", sys_msync(guard, 3 * PAGE, MS_ASYNC), ENOMEM);
	long anon = (long)map_anon(PAGE, PROT_READ | PROT_WRITE);
	expect("an anonymous mapping", sys_msync(anon, PAGE, MS_SYNC), 0);
	/* MS_INVALIDATE on a locked mapping is refused */
	CHECK(sys_mlock(m, PAGE) == 0);
	expect("MS_INVALIDATE on an mlocked mapping", sys_msync(m, PAGE, MS_INVALIDATE), EBUSY);
	expect("MS_SYNC on an mlocked mapping", sys_msync(m, PAGE, MS_SYNC), 0);
	CHECK(sys_unlink(path) == 0);
	return 0;
}
