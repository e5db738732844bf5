/*
 * sendfile(2) as fs/read_write.c do_sendfile: without an offset pointer the
 * input's file position is used and advanced; with one the transfer starts
 * at *offset, the new offset is written back and the position stays; the
 * end of the input stops it; output to a file, to /dev/null, to a pipe (one
 * pipeful at a time, EAGAIN when full under O_NONBLOCK, a blocked sender
 * woken by the reader); input from /dev/zero; the errors (EBADF, EINVAL for
 * a pipe or directory input, a negative offset, an O_APPEND output or a
 * range past 2^63, ESPIPE for an offset on a pipe, EFAULT).
 */
#include "rt.h"

#define O_APPEND 02000
#define sys_sendfile(o, i, off, n) SC4(__NR_sendfile, o, i, off, n)

static long pos_of(int fd) { return sys_lseek(fd, 0, SEEK_CUR); }

int main(void) {
	char in_path[64], out_path[64], big_path[64];
	int in = open_tmp("/tmp", "in", in_path);
	int out = open_tmp("/tmp", "out", out_path);
	CHECK(sys_write(in, "0123456789", 10) == 10);
	CHECK(sys_lseek(in, 2, SEEK_SET) == 2);

	/* no offset pointer: the input's position moves */
	say("sendfile 3 from position 2: %ld\n", sys_sendfile(out, in, NULL, 3));
	say("  input position %ld, output position %ld\n", pos_of(in), pos_of(out));
	/* an offset: read there, written back, the position stays */
	long off = 5, n;
	n = sys_sendfile(out, in, &off, 100);
	say("sendfile 100 at offset 5: %ld\n", n);
	say("  offset now %ld, input position %ld, output position %ld\n", off, pos_of(in), pos_of(out));
	off = 20;
	n = sys_sendfile(out, in, &off, 4);
	say("sendfile at offset 20, past the end: %ld, offset %ld\n", n, off);
	say("sendfile of 0 bytes: %ld\n", sys_sendfile(out, in, NULL, 0));
	long rest = sys_sendfile(out, in, NULL, 64);
	long at_end = sys_sendfile(out, in, NULL, 64);
	say("sendfile to the rest of the input: %ld, then %ld at its end\n", rest, at_end);
	char buf[64];
	n = sys_pread(out, buf, sizeof buf, 0);
	buf[n > 0 ? n : 0] = 0;
	say("output file: %ld bytes: %s\n", n, buf);
	off = 0;
	say("sendfile of a file to itself at offset 0: %ld\n", sys_sendfile(in, in, &off, 2));

	/* the errors */
	off = -1;
	expect("negative offset", sys_sendfile(out, in, &off, 1), EINVAL);
	off = 0x7fffffffffffffffL;
	expect("offset 2^63-1, count 1", sys_sendfile(out, in, &off, 1), EINVAL);
	expect("bad offset pointer", sys_sendfile(out, in, (long *)8, 1), EFAULT);
	expect("bad output descriptor", sys_sendfile(99, in, NULL, 1), EBADF);
	expect("bad input descriptor", sys_sendfile(out, 99, NULL, 1), EBADF);
	long wo = sys_open(out_path, O_WRONLY, 0);
	long ro = sys_open(out_path, O_RDONLY, 0);
	long ap = sys_open(out_path, O_WRONLY | O_APPEND, 0);
	expect("input open write-only", sys_sendfile(out, (int)wo, NULL, 1), EBADF);
	expect("output open read-only", sys_sendfile((int)ro, in, NULL, 1), EBADF);
	off = 0;
	expect("O_APPEND output", sys_sendfile((int)ap, in, &off, 1), EINVAL);
	sys_close((int)wo), sys_close((int)ro), sys_close((int)ap);
	long dir = sys_open("/tmp", O_RDONLY, 0);
	expect("a directory as input", sys_sendfile(out, (int)dir, NULL, 1), EINVAL);
	sys_close((int)dir);
	int p[2];
	CHECK(sys_pipe2(p, 0) == 0);
	expect("a pipe as input", sys_sendfile(out, p[0], NULL, 1), EINVAL);
	off = 0;
	expect("a pipe as input, with an offset", sys_sendfile(out, p[0], &off, 1), ESPIPE);

	/* /dev/zero in, /dev/null out */
	long z = sys_open("/dev/zero", O_RDONLY, 0);
	say("sendfile 5 from /dev/zero: %ld\n", sys_sendfile(out, (int)z, NULL, 5));
	sys_close((int)z);
	long nl = sys_open("/dev/null", O_WRONLY, 0);
	off = 0;
	n = sys_sendfile((int)nl, in, &off, 5);
	say("sendfile 5 to /dev/null: %ld, offset %ld\n", n, off);
	sys_close((int)nl);

	/* to a pipe: one pipeful at a time */
	off = 1;
	say("sendfile 4 into a pipe at offset 1: %ld\n", sys_sendfile(p[1], in, &off, 4));
	n = sys_read(p[0], buf, sizeof buf);
	buf[n > 0 ? n : 0] = 0;
	say("  the pipe holds %ld bytes: %s\n", n, buf);
	int big = open_tmp("/tmp", "big", big_path);
	CHECK(sys_ftruncate(big, 200000) == 0);
	off = 0;
	n = sys_sendfile(p[1], big, &off, 200000);
	say("sendfile 200000 into an empty pipe: %ld, offset %ld\n", n, off);
	CHECK(sys_fcntl(p[1], F_SETFL, O_NONBLOCK) == 0);
	expect("sendfile into the full pipe, O_NONBLOCK", sys_sendfile(p[1], big, &off, 10), EAGAIN);
	CHECK(sys_fcntl(p[1], F_SETFL, 0) == 0);
	/* a blocked sender is woken by the reader */
	long pid = sys_fork();
	if (pid == 0) {
		long sent = sys_sendfile(p[1], big, &off, 10);
		say("child: sendfile into the full pipe returned %ld once the parent read\n", sent);
		sys_exit_group(0);
	}
	char drain[4096];
	long total = 0;
	while (total < 65536 + 10) {
		long got = sys_read(p[0], drain, sizeof drain);
		CHECK(got > 0);
		total += got;
	}
	report_child("sender", wait_status(pid));
	say("parent read %ld bytes\n", total);
	sys_close(p[0]);
	CHECK(sig_set_ignored(SIGPIPE) == 0);
	off = 0;
	expect("sendfile into a pipe without reader (SIGPIPE ignored)", sys_sendfile(p[1], in, &off, 1), EPIPE);
	sys_close(p[1]);

	CHECK(sys_unlink(in_path) == 0 && sys_unlink(out_path) == 0 && sys_unlink(big_path) == 0);
	return 0;
}
