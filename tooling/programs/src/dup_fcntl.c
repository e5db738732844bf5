/* dup, dup3 and fcntl on descriptors: lowest free number, shared offsets, descriptor and status flags (fs/fcntl.c, fs/file.c). */
#include "rt.h"

int main(void) {
	char path[128];
	int fd = open_tmp("/tmp", "", path);
	say("open_tmp gave descriptor %d (the lowest free)\n", fd);
	long d = sys_dup(fd);
	say("dup gives the lowest free: %ld\n", d);
	CHECK(sys_write(fd, "abcdef", 6) == 6);
	say("a dup shares the file offset: %ld\n", sys_lseek(d, 0, SEEK_CUR));
	say("FD_CLOEXEC: original %ld (O_CLOEXEC), dup %ld (dup clears it)\n", sys_fcntl(fd, F_GETFD, 0), sys_fcntl(d, F_GETFD, 0));
	expect("dup3 onto 10 with O_CLOEXEC", sys_dup3(fd, 10, O_CLOEXEC), 0);
	say("  descriptor 10 has FD_CLOEXEC: %s\n", yes(sys_fcntl(10, F_GETFD, 0) == FD_CLOEXEC));
	expect("dup3 onto itself", sys_dup3(fd, fd, 0), EINVAL);
	expect("dup3 with an unknown flag", sys_dup3(fd, 11, 1), EINVAL);
	expect("dup3 of a closed descriptor", sys_dup3(55, 11, 0), EBADF);
	expect("dup3 onto a negative number", sys_dup3(fd, -1, 0), EBADF);
	expect("dup of a closed descriptor", sys_dup(55), EBADF);
	say("F_DUPFD from 20: %ld\n", sys_fcntl(fd, F_DUPFD, 20));
	d = sys_fcntl(fd, F_DUPFD_CLOEXEC, 20);
	say("F_DUPFD_CLOEXEC from 20: %ld, cloexec %s\n", d, yes(sys_fcntl(d, F_GETFD, 0) == FD_CLOEXEC));
	expect("F_DUPFD from a negative number", sys_fcntl(fd, F_DUPFD, -1), EINVAL);
	CHECK(sys_fcntl(d, F_SETFD, 0) == 0);
	say("F_SETFD 0 clears it: %ld\n", sys_fcntl(d, F_GETFD, 0));
	/* status flags are per open file description: a dup sees F_SETFL's changes */
	long fl = sys_fcntl(fd, F_GETFL, 0);
	say("F_GETFL: access mode O_RDWR %s, O_APPEND %s\n", yes((fl & 3) == O_RDWR), yes(fl & O_APPEND));
	CHECK(sys_fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK) == 0);
	fl = sys_fcntl(21, F_GETFL, 0);
	say("after F_SETFL(O_APPEND|O_NONBLOCK) on the original, a dup sees O_APPEND %s, O_NONBLOCK %s\n", yes(fl & O_APPEND), yes(fl & O_NONBLOCK));
	CHECK(sys_fcntl(fd, F_SETFL, O_RDONLY) == 0);
	say("F_SETFL cannot change the access mode: still O_RDWR %s\n", yes((sys_fcntl(fd, F_GETFL, 0) & 3) == O_RDWR));
	expect("fcntl of a closed descriptor", sys_fcntl(55, F_GETFD, 0), EBADF);
	expect("fcntl with an unknown command", sys_fcntl(fd, 9999, 0), EINVAL);
	/* a separate open() has its own offset */
	long other = sys_open(path, O_RDONLY, 0);
	say("a separate open starts at offset %ld\n", sys_lseek(other, 0, SEEK_CUR));
	/* closing the original leaves the dup working */
	sys_close(fd);
	char buf[4] = {0};
	say("after closing the original, the dup still reads: %s\n", yes(sys_pread(21, buf, 3, 0) == 3 && memcmp(buf, "abc", 3) == 0));
	expect("close of a closed descriptor", sys_close(fd), EBADF);
	/* dup across fork: the child's lseek moves the parent's offset */
	long pid = sys_fork();
	if (pid == 0) {
		sys_lseek(21, 4, SEEK_SET);
		sys_exit_group(0);
	}
	wait_status(pid);
	say("a child's lseek on an inherited descriptor moves ours: %ld\n", sys_lseek(21, 0, SEEK_CUR));
	CHECK(sys_unlink(path) == 0);
	return 0;
}
