/*
 * MADV_DONTNEED drops this mapping's pages (mm/madvise.c): private anonymous
 * memory reads zero after, a private file mapping reads the file again,
 * shared mappings keep their data (it lives in the object). Also
 * MADV_REMOVE on shmem, MADV_WIPEONFORK and MADV_DONTFORK.
 */
#include "rt.h"

int main(void) {
	u8 *a = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);
	a[0] = 'a', a[PAGE] = 'b';
	CHECK(sys_madvise((long)a, PAGE, MADV_DONTNEED) == 0);
	say("private anonymous: page 0 reads %d, page 1 kept %c\n", a[0], a[PAGE]);

	char path[128];
	int fd = open_tmp("/dev/shm", "", path);
	CHECK(sys_pwrite(fd, "file", 4, 0) == 4 && sys_ftruncate(fd, 2 * PAGE) == 0);
	u8 *pf = (u8 *)sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	pf[0] = 'P';
	CHECK(sys_madvise((long)pf, PAGE, MADV_DONTNEED) == 0);
	say("private file: reads the file again: %c%c%c%c\n", pf[0], pf[1], pf[2], pf[3]);

	u8 *sf = (u8 *)sys_mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	sf[1] = 'I';
	CHECK(sys_madvise((long)sf, PAGE, MADV_DONTNEED) == 0);
	say("shared file: the store survives: %c%c%c%c, resident after %d\n", sf[0], sf[1], sf[2], sf[3], resident(sf, 1));

	u8 *sa = (u8 *)sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	sa[0] = 's';
	CHECK(sys_madvise((long)sa, PAGE, MADV_DONTNEED) == 0);
	say("shared anonymous: kept %c\n", sa[0]);

	/* MADV_REMOVE frees the backing store: shared pages read zero after, and the file too */
	sf[PAGE] = 'R';
	expect("MADV_REMOVE on a shared tmpfs mapping", sys_madvise((long)sf + PAGE, PAGE, MADV_REMOVE), 0);
	char c = 1;
	CHECK(sys_pread(fd, &c, 1, PAGE) == 1);
	say("after MADV_REMOVE: mapping %d, file %d, size still %ld pages\n", sf[PAGE], c, sys_lseek(fd, 0, SEEK_END) / PAGE);
	expect("MADV_REMOVE on a private mapping", sys_madvise((long)a, PAGE, MADV_REMOVE), EINVAL);

	/* MADV_WIPEONFORK: the child gets zero pages; MADV_DONTFORK: the child has no mapping at all */
	u8 *w = map_anon(PAGE, PROT_READ | PROT_WRITE);
	u8 *d = map_anon(PAGE, PROT_READ | PROT_WRITE);
	w[0] = 'w', d[0] = 'd';
	CHECK(sys_madvise((long)w, PAGE, MADV_WIPEONFORK) == 0);
	CHECK(sys_madvise((long)d, PAGE, MADV_DONTFORK) == 0);
	long pid = sys_fork();
	if (pid == 0) {
		u8 vec[1];
		say("child: MADV_WIPEONFORK page reads %d; MADV_DONTFORK page: %s\n", w[0], err(sys_mincore(d, PAGE, vec)));
		sys_exit_group(0);
	}
	report_child("child", wait_status(pid));
	say("parent still has %c %c\n", w[0], d[0]);
	expect("MADV_WIPEONFORK on a shared mapping", sys_madvise((long)sa, PAGE, MADV_WIPEONFORK), EINVAL);
	CHECK(sys_unlink(path) == 0);
	return 0;
}
