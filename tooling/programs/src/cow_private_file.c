/*
 * MAP_PRIVATE file mappings: reads see the file until a page is written;
 * then the page is a private copy the file never sees, and later writes
 * to the file show only in pages not yet copied (mm/memory.c do_cow_fault).
 */
#include "rt.h"

int main(void) {
	char path[128];
	int fd = open_tmp("/dev/shm", "", path);
	char buf[PAGE];
	for (int i = 0; i < 3; i++) {
		memset(buf, 'A' + i, PAGE);
		CHECK(sys_write(fd, buf, PAGE) == PAGE);
	}
	long r = sys_mmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(!MAP_FAILED_P(r));
	u8 *m = (u8 *)r;
	say("the private mapping reads the file: %c %c %c\n", m[0], m[PAGE], m[2 * PAGE]);
	m[0] = 'a';
	char c;
	CHECK(sys_pread(fd, &c, 1, 0) == 1);
	say("after a store to page 0: mapping %c, file %c\n", m[0], c);
	CHECK(sys_pwrite(fd, "XY", 2, 1) == 2);
	CHECK(sys_pwrite(fd, "Z", 1, PAGE + 1) == 1);
	say("after pwrite to the file: copied page 0 shows %c%c, untouched page 1 shows %c\n", m[1], m[2], m[PAGE + 1]);
	/* fork: the child's private copy is its own */
	long pid = sys_fork();
	if (pid == 0) {
		m[2 * PAGE] = 'c';
		m[0] = 'q';
		sys_exit_group(m[2 * PAGE] == 'c' && m[0] == 'q' ? 0 : 1);
	}
	report_child("child storing into pages 0 and 2", wait_status(pid));
	CHECK(sys_pread(fd, &c, 1, 2 * PAGE) == 1);
	say("parent after the child: page 0 %c, page 2 %c, file page 2 %c\n", m[0], m[2 * PAGE], c);
	/* a read-only private mapping made writable later copies on write too */
	long ro = sys_mmap(0, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(sys_mprotect(ro, PAGE, PROT_READ | PROT_WRITE) == 0);
	((u8 *)ro)[0] = 'w';
	CHECK(sys_pread(fd, &c, 1, 0) == 1);
	say("mprotect'd writable then stored: mapping %c, file %c\n", ((u8 *)ro)[0], c);
	/* MADV_DONTNEED drops the private copy: the file's data shows again */
	CHECK(sys_madvise(r, PAGE, MADV_DONTNEED) == 0);
	say("after MADV_DONTNEED page 0 reads the file again: %c%c%c\n", m[0], m[1], m[2]);
	/* two private mappings of one file do not see each other's stores */
	long r2 = sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PAGE);
	((u8 *)r2)[5] = '5';
	say("another private mapping's store is not seen: %c\n", m[PAGE + 5]);
	CHECK(sys_unlink(path) == 0);
	return 0;
}
