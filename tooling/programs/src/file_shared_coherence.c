/*
 * One file, many views: stores through a MAP_SHARED mapping are what
 * read/pread return at once (no msync needed: both use the page cache),
 * write/pwrite show in every shared mapping, two mappings at different
 * addresses and offsets alias, and the data outlives munmap and close.
 */
#include "rt.h"

int main(void) {
	char path[128];
	int fd = open_tmp("/tmp", "", path);
	CHECK(sys_ftruncate(fd, 4 * PAGE) == 0);
	long a = sys_mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	long b = sys_mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 2 * PAGE);
	CHECK(!MAP_FAILED_P(a) && !MAP_FAILED_P(b));
	u8 *m = (u8 *)a, *n = (u8 *)b;
	memcpy(m + 10, "mapping", 7);
	char buf[16] = {0};
	CHECK(sys_pread(fd, buf, 7, 10) == 7);
	say("pread after a store through the mapping: %s\n", buf);
	CHECK(sys_pwrite(fd, "pwrite", 6, PAGE + 20) == 6);
	memcpy(buf, m + PAGE + 20, 6);
	buf[6] = 0;
	say("the mapping after pwrite: %s\n", buf);
	m[2 * PAGE + 3] = 'M';
	say("a second mapping at offset 2 pages sees the first's store: %c\n", n[3]);
	n[PAGE + 4] = 'N';
	say("and the other way round: %c\n", m[3 * PAGE + 4]);
	CHECK(sys_lseek(fd, 3 * PAGE + 100, SEEK_SET) == 3 * PAGE + 100);
	CHECK(sys_write(fd, "write", 5) == 5);
	memcpy(buf, n + PAGE + 100, 5);
	buf[5] = 0;
	say("write(2) at the file offset shows in both: %s %s\n", buf, yes(memcmp(m + 3 * PAGE + 100, "write", 5) == 0));
	/* another descriptor of the same file, another mapping */
	long fd2 = sys_open(path, O_RDWR, 0);
	long c = sys_mmap(0, PAGE, PROT_READ, MAP_SHARED, fd2, 0);
	say("a mapping through a second open() sees it too: %s\n", yes(memcmp((u8 *)c + 10, "mapping", 7) == 0));
	/* msync is not needed for coherence, but it succeeds */
	expect("msync(MS_SYNC)", sys_msync(a, 4 * PAGE, MS_SYNC), 0);
	/* the data outlives the mappings and the descriptors */
	CHECK(sys_munmap(a, 4 * PAGE) == 0 && sys_munmap(b, 2 * PAGE) == 0 && sys_munmap(c, PAGE) == 0);
	sys_close(fd);
	sys_close(fd2);
	fd = (int)sys_open(path, O_RDONLY, 0);
	CHECK(sys_pread(fd, buf, 1, 3 * PAGE + 4) == 1);
	say("after munmap and close, reopened: %c\n", buf[0]);
	/* the file's size did not change by storing through the mapping */
	say("file size in pages: %ld\n", sys_lseek(fd, 0, SEEK_END) / PAGE);
	/* across fork, a child's stores reach the parent through the file */
	long d = sys_mmap(0, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	long pid = sys_fork();
	if (pid == 0) {
		long w = sys_open(path, O_RDWR, 0);
		long e = sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, w, 0);
		memcpy((u8 *)e + 10, "CHILD!!", 7);
		sys_exit_group(0);
	}
	wait_status(pid);
	memcpy(buf, (u8 *)d + 10, 7);
	buf[7] = 0;
	say("the parent's read-only mapping after the child's store: %s\n", buf);
	CHECK(sys_unlink(path) == 0);
	return 0;
}
