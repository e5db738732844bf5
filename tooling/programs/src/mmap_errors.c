/* mmap's failures (mm/mmap.c do_mmap, mm/util.c vm_mmap_pgoff, ksys_mmap_pgoff). */
#include "rt.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

int main(void) {
	char path[128];
	int fd = open_tmp("/dev/shm", "", path);
	CHECK(sys_ftruncate(fd, 2 * PAGE) == 0);
	long ro = sys_open(path, O_RDONLY, 0);
	long wo = sys_open(path, O_WRONLY, 0);
	long ap = sys_open(path, O_RDWR | O_APPEND, 0);
	int pipefd[2];
	CHECK(sys_pipe2(pipefd, 0) == 0);
	CHECK(ro >= 0 && wo >= 0 && ap >= 0);

	expect("length 0", sys_mmap(0, 0, RW, ANON, -1, 0), EINVAL);
	expect("neither MAP_SHARED nor MAP_PRIVATE", sys_mmap(0, PAGE, RW, MAP_ANONYMOUS, -1, 0), EINVAL);
	/* only a file mapping validates the flags; an anonymous one knows no MAP_SHARED_VALIDATE type */
	expect("MAP_SHARED_VALIDATE of a file with an unknown flag", sys_mmap(0, PAGE, RW, MAP_SHARED_VALIDATE | 0x800000, fd, 0), EOPNOTSUPP);
	expect("MAP_SHARED_VALIDATE of a file", sys_mmap(0, PAGE, RW, MAP_SHARED_VALIDATE, fd, 0), 0);
	expect("anonymous MAP_SHARED_VALIDATE", sys_mmap(0, PAGE, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	expect("MAP_FIXED at an unaligned address", sys_mmap(0x10001, PAGE, RW, ANON | MAP_FIXED, -1, 0), EINVAL);
	expect("file offset not page aligned", sys_mmap(0, PAGE, PROT_READ, MAP_SHARED, fd, 100), EINVAL);
	expect("length that overflows when rounded", sys_mmap(0, -1UL, RW, ANON, -1, 0), ENOMEM);
	expect("length beyond the address space", sys_mmap(0, 1UL << 62, RW, ANON, -1, 0), ENOMEM);
	expect("MAP_FIXED beyond the address space", sys_mmap(1UL << 60, PAGE, RW, ANON | MAP_FIXED, -1, 0), ENOMEM);
	expect("fd -1 without MAP_ANONYMOUS", sys_mmap(0, PAGE, PROT_READ, MAP_SHARED, -1, 0), EBADF);
	expect("a closed fd", sys_mmap(0, PAGE, PROT_READ, MAP_SHARED, 900, 0), EBADF);
	expect("MAP_SHARED PROT_WRITE of an O_RDONLY file", sys_mmap(0, PAGE, RW, MAP_SHARED, ro, 0), EACCES);
	expect("MAP_PRIVATE PROT_WRITE of an O_RDONLY file", sys_mmap(0, PAGE, RW, MAP_PRIVATE, ro, 0), 0);
	expect("MAP_SHARED PROT_READ of an O_WRONLY file", sys_mmap(0, PAGE, PROT_READ, MAP_SHARED, wo, 0), EACCES);
	/* O_APPEND is no obstacle: do_mmap refuses only an append-only inode (IS_APPEND, chattr +a) */
	expect("MAP_SHARED PROT_WRITE of an O_APPEND file", sys_mmap(0, PAGE, RW, MAP_SHARED, ap, 0), 0);
	expect("a pipe", sys_mmap(0, PAGE, PROT_READ, MAP_SHARED, pipefd[0], 0), ENODEV);
	expect("a directory", sys_mmap(0, PAGE, PROT_READ, MAP_SHARED, sys_open("/tmp", O_RDONLY | O_DIRECTORY, 0), 0), ENODEV);
	expect("a file offset far beyond EOF (allowed)", sys_mmap(0, PAGE, PROT_READ, MAP_SHARED, fd, 64 * PAGE), 0);
	expect("offset + length overflowing", sys_mmap(0, 2 * PAGE, PROT_READ, MAP_SHARED, fd, -PAGE), EOVERFLOW);
	/* mprotect and the other calls of the family */
	long a = sys_mmap(0, 2 * PAGE, RW, ANON, -1, 0);
	long sh = sys_mmap(0, PAGE, PROT_READ, MAP_SHARED, ro, 0);
	/* last of the mappings: a later mmap could take the hole */
	long guard = sys_mmap(0, 3 * PAGE, PROT_NONE, ANON, -1, 0);
	CHECK(sys_munmap(guard + PAGE, PAGE) == 0);
	long hole = guard + PAGE; /* a page known to be unmapped */
	expect("mprotect unaligned", sys_mprotect(a + 1, PAGE, PROT_READ), EINVAL);
	expect("mprotect with an unknown bit", sys_mprotect(a, PAGE, 0x100), EINVAL);
	expect("mprotect of an unmapped range", sys_mprotect(hole, PAGE, PROT_READ), ENOMEM);
	expect("mprotect PROT_WRITE of a shared read-only file mapping", sys_mprotect(sh, PAGE, RW), EACCES);
	expect("munmap unaligned", sys_munmap(a + 1, PAGE), EINVAL);
	expect("munmap length 0", sys_munmap(a, 0), EINVAL);
	expect("munmap of an unmapped range", sys_munmap(hole, PAGE), 0);
	expect("msync unaligned", sys_msync(a + 1, PAGE, MS_SYNC), EINVAL);
	expect("madvise with an unknown advice", sys_madvise(a, PAGE, 12345), EINVAL);
	expect("madvise of an unmapped range", sys_madvise(hole, PAGE, MADV_WILLNEED), ENOMEM);
	expect("mincore with a bad vector", sys_mincore(a, PAGE, (void *)8), EFAULT);
	expect("mlock of an unmapped range", sys_mlock(hole, PAGE), ENOMEM);
	expect("read(2) into a PROT_READ page", sys_read(fd, (void *)sh, 1), EFAULT);
	CHECK(sys_unlink(path) == 0);
	return 0;
}
