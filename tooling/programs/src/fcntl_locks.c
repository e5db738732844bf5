/*
 * POSIX record locks (F_SETLK, F_GETLK): a lock held by the parent conflicts
 * for a child, which sees its owner; unlocking or closing any descriptor of
 * the file releases it (fs/locks.c). OFD locks belong to the open file.
 */
#include "rt.h"

static struct flock lk(short type, long start, long len) {
	struct flock f;
	memset(&f, 0, sizeof f);
	f.l_type = type, f.l_whence = SEEK_SET, f.l_start = start, f.l_len = len;
	return f;
}

static const char *type_name(short t) { return t == F_RDLCK ? "F_RDLCK" : t == F_WRLCK ? "F_WRLCK" : t == F_UNLCK ? "F_UNLCK" : "?"; }

int main(void) {
	char path[128];
	int fd = open_tmp("/tmp", "", path);
	CHECK(sys_ftruncate(fd, 100) == 0);
	struct flock w = lk(F_WRLCK, 10, 20);
	expect("parent: F_SETLK write lock on bytes 10..29", sys_fcntl(fd, F_SETLK, &w), 0);
	int go[2], done[2];
	CHECK(sys_pipe2(go, 0) == 0 && sys_pipe2(done, 0) == 0);
	long parent = sys_getpid();
	long pid = sys_fork();
	if (pid == 0) {
		long cfd = sys_open(path, O_RDWR, 0);
		struct flock q = lk(F_WRLCK, 0, 0);
		CHECK(sys_fcntl(cfd, F_GETLK, &q) == 0);
		say("child: F_GETLK finds %s on %ld+%ld held by the parent: %s\n", type_name(q.l_type), q.l_start, q.l_len, yes(q.l_pid == parent));
		struct flock r = lk(F_WRLCK, 25, 10);
		expect("child: F_SETLK overlapping", sys_fcntl(cfd, F_SETLK, &r), EAGAIN);
		r = lk(F_WRLCK, 30, 10);
		expect("child: F_SETLK on bytes 30..39 (free)", sys_fcntl(cfd, F_SETLK, &r), 0);
		r = lk(F_RDLCK, 10, 1);
		expect("child: read lock inside the write lock", sys_fcntl(cfd, F_SETLK, &r), EAGAIN);
		char c;
		CHECK(sys_write(done[1], "1", 1) == 1);
		CHECK(sys_read(go[0], &c, 1) == 1); /* the parent closes another descriptor of the file */
		r = lk(F_WRLCK, 10, 20);
		expect("child: after the parent closed a descriptor, F_SETLK", sys_fcntl(cfd, F_SETLK, &r), 0);
		sys_exit_group(0);
	}
	char c;
	CHECK(sys_read(done[0], &c, 1) == 1);
	struct flock q = lk(F_WRLCK, 0, 0);
	CHECK(sys_fcntl(fd, F_GETLK, &q) == 0);
	say("parent: F_GETLK sees the child's lock %s on %ld+%ld: %s\n", type_name(q.l_type), q.l_start, q.l_len, yes(q.l_pid == pid));
	/* a process's own locks never conflict with it: it may convert and split them */
	struct flock rd = lk(F_RDLCK, 15, 5);
	expect("parent: convert the middle to a read lock", sys_fcntl(fd, F_SETLK, &rd), 0);
	/* closing ANY descriptor of the file drops all the process's locks on it */
	long fd2 = sys_open(path, O_RDONLY, 0);
	sys_close(fd2);
	CHECK(sys_write(go[1], "1", 1) == 1);
	report_child("child", wait_status(pid));
	/* errors */
	struct flock bad = lk(7, 0, 0);
	expect("an unknown lock type", sys_fcntl(fd, F_SETLK, &bad), EINVAL);
	long ro = sys_open(path, O_RDONLY, 0);
	struct flock wl = lk(F_WRLCK, 0, 1);
	expect("a write lock on an O_RDONLY descriptor", sys_fcntl(ro, F_SETLK, &wl), EBADF);
	struct flock neg = lk(F_RDLCK, -5, 1);
	expect("a negative start", sys_fcntl(ro, F_SETLK, &neg), EINVAL);
	expect("a bad flock pointer", sys_fcntl(fd, F_SETLK, (void *)8), EFAULT);
	/* OFD locks conflict between two open file descriptions of one process */
	long a = sys_open(path, O_RDWR, 0), b = sys_open(path, O_RDWR, 0);
	struct flock o = lk(F_WRLCK, 0, 10);
	expect("OFD write lock through one open()", sys_fcntl(a, F_OFD_SETLK, &o), 0);
	o = lk(F_WRLCK, 5, 10);
	expect("OFD write lock through another open()", sys_fcntl(b, F_OFD_SETLK, &o), EAGAIN);
	o = lk(F_WRLCK, 0, 0);
	CHECK(sys_fcntl(b, F_OFD_GETLK, &o) == 0);
	say("F_OFD_GETLK: %s, l_pid -1: %s\n", type_name(o.l_type), yes(o.l_pid == -1));
	CHECK(sys_unlink(path) == 0);
	return 0;
}
