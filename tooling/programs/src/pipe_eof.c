/* Pipes: data in order, EOF once every write end is closed, O_NONBLOCK's EAGAIN, and a pipe across fork. */
#include "rt.h"

int main(void) {
	int p[2];
	CHECK(sys_pipe2(p, 0) == 0);
	CHECK(sys_write(p[1], "hello ", 6) == 6 && sys_write(p[1], "pipe", 4) == 4);
	char buf[64];
	long n = sys_read(p[0], buf, sizeof buf);
	buf[n > 0 ? n : 0] = 0;
	say("read %ld bytes: %s\n", n, buf);
	CHECK(sys_close(p[1]) == 0);
	expect("read after the only write end closed (EOF, 0 bytes)", sys_read(p[0], buf, 1), 0);
	say("  returned %ld\n", sys_read(p[0], buf, 1));
	sys_close(p[0]);
	/* non-blocking: an empty pipe with a writer gives EAGAIN */
	CHECK(sys_pipe2(p, O_NONBLOCK) == 0);
	expect("O_NONBLOCK read of an empty pipe", sys_read(p[0], buf, 1), EAGAIN);
	long total = 0, r;
	char big[4096];
	memset(big, 'z', sizeof big);
	while ((r = sys_write(p[1], big, sizeof big)) > 0) total += r;
	say("O_NONBLOCK writes until full: %s, capacity %ld KiB\n", err(r), total / 1024);
	sys_close(p[0]), sys_close(p[1]);
	/* across fork: the child writes, the parent reads until EOF (the parent closed its write end) */
	CHECK(sys_pipe2(p, 0) == 0);
	long pid = sys_fork();
	if (pid == 0) {
		sys_close(p[0]);
		for (int i = 0; i < 100; i++) sys_write(p[1], "0123456789", 10);
		sys_exit_group(0);
	}
	sys_close(p[1]);
	total = 0;
	while ((r = sys_read(p[0], big, 333)) > 0) total += r;
	say("parent read %ld bytes from the child, then %s\n", total, r == 0 ? "EOF" : err(r));
	report_child("writer", wait_status(pid));
	/* pipe2 errors and descriptor flags */
	expect("pipe2 with an unknown flag", sys_pipe2(p, 1), EINVAL);
	expect("pipe2 with a bad pointer", sys_pipe2((int *)8, 0), EFAULT);
	CHECK(sys_pipe2(p, O_CLOEXEC) == 0);
	say("O_CLOEXEC sets FD_CLOEXEC on both ends: %s\n", yes(sys_fcntl(p[0], F_GETFD, 0) == FD_CLOEXEC && sys_fcntl(p[1], F_GETFD, 0) == FD_CLOEXEC));
	expect("lseek on a pipe", sys_lseek(p[0], 0, SEEK_SET), ESPIPE);
	expect("write to the read end", sys_write(p[0], "x", 1), EBADF);
	return 0;
}
