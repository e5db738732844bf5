/*
 * copy_file_range(2) as fs/read_write.c (Linux 6.x): offsets read from and
 * written back to the pointers, or the descriptors' positions used and
 * advanced; the copy stops at the input's end; the output's s_maxbytes
 * cuts it (tmpfs); an overlap within one file is EINVAL, a copy to
 * another place in it fine; EXDEV between two file systems (/tmp and
 * /dev/shm), even for 0 bytes; EINVAL for flags and for files that are not
 * regular, EISDIR for directories, EBADF, EOVERFLOW, EFAULT.
 */
#include "rt.h"

#define O_APPEND 02000
#define EXDEV 18
#define sys_copy_file_range(a, oa, b, ob, n, f) SC6(__NR_copy_file_range, a, oa, b, ob, n, f)

static long pos_of(int fd) { return sys_lseek(fd, 0, SEEK_CUR); }
static const char *errx(long r) { return r == -EXDEV ? "EXDEV" : err(r); }

int main(void) {
	char in_path[64], out_path[64], other_path[64];
	int in = open_tmp("/dev/shm", "in", in_path);
	int out = open_tmp("/dev/shm", "out", out_path);
	int other = open_tmp("/tmp", "x", other_path);
	CHECK(sys_write(in, "0123456789", 10) == 10);
	CHECK(sys_lseek(in, 2, SEEK_SET) == 2);

	long n = sys_copy_file_range(in, NULL, out, NULL, 3, 0);
	say("copy 3 at the positions: %ld; positions now %ld and %ld\n", n, pos_of(in), pos_of(out));
	long oi = 5, oo = 100;
	n = sys_copy_file_range(in, &oi, out, &oo, 100, 0);
	say("copy 100 from offset 5 to offset 100: %ld; offsets now %ld and %ld; positions %ld and %ld\n", n, oi, oo, pos_of(in), pos_of(out));
	oi = 20;
	n = sys_copy_file_range(in, &oi, out, NULL, 5, 0);
	say("copy from past the end: %ld, offset %ld\n", n, oi);
	oi = 0;
	n = sys_copy_file_range(in, &oi, out, NULL, 0, 0);
	say("copy of 0 bytes: %ld\n", n);
	char buf[128];
	n = sys_pread(out, buf, sizeof buf, 0);
	say("output size %ld, bytes 0..2: %c%c%c, bytes 100..104: %c%c%c%c%c\n", n, buf[0], buf[1], buf[2], buf[100], buf[101], buf[102], buf[103], buf[104]);

	/* within one file */
	oi = 0, oo = 2;
	expect("overlapping copy within a file", sys_copy_file_range(in, &oi, in, &oo, 4, 0), EINVAL);
	oi = 0, oo = 4;
	n = sys_copy_file_range(in, &oi, in, &oo, 4, 0);
	say("copy within a file, no overlap: %ld, offsets %ld and %ld\n", n, oi, oo);

	/* the output's s_maxbytes (tmpfs: 2^63 - 1) */
	oi = 0, oo = 0x7ffffffffffffffeL;
	n = sys_copy_file_range(in, &oi, out, &oo, 100, 0);
	say("copy 100 to 2^63 - 2: %ld\n", n);
	CHECK(sys_ftruncate(out, 200) == 0);

	/* the errors */
	say("between /dev/shm and /tmp: %s\n", errx(sys_copy_file_range(in, NULL, other, NULL, 4, 0)));
	oi = 0;
	say("between /dev/shm and /tmp, 0 bytes: %s\n", errx(sys_copy_file_range(in, &oi, other, NULL, 0, 0)));
	expect("flags 1", sys_copy_file_range(in, NULL, out, NULL, 1, 1), EINVAL);
	oi = -1;
	expect("offset -1", sys_copy_file_range(in, &oi, out, NULL, 3, 0), EOVERFLOW);
	oo = -1, oi = 0;
	expect("output offset -1", sys_copy_file_range(in, &oi, out, &oo, 3, 0), EOVERFLOW);
	expect("bad offset pointer", sys_copy_file_range(in, (long *)8, out, NULL, 3, 0), EFAULT);
	expect("bad input descriptor", sys_copy_file_range(99, NULL, out, NULL, 3, 0), EBADF);
	expect("bad output descriptor, flags 1", sys_copy_file_range(in, NULL, 99, NULL, 3, 1), EBADF);
	long ap = sys_open(out_path, O_WRONLY | O_APPEND, 0);
	long ro = sys_open(out_path, O_RDONLY, 0);
	long wo = sys_open(in_path, O_WRONLY, 0);
	expect("O_APPEND output", sys_copy_file_range(in, NULL, (int)ap, NULL, 3, 0), EBADF);
	expect("output open read-only", sys_copy_file_range(in, NULL, (int)ro, NULL, 3, 0), EBADF);
	expect("input open write-only", sys_copy_file_range((int)wo, NULL, out, NULL, 3, 0), EBADF);
	sys_close((int)ap), sys_close((int)ro), sys_close((int)wo);
	int p[2];
	CHECK(sys_pipe2(p, 0) == 0);
	expect("a pipe as input", sys_copy_file_range(p[0], NULL, out, NULL, 3, 0), EINVAL);
	expect("a pipe as output", sys_copy_file_range(in, NULL, p[1], NULL, 3, 0), EINVAL);
	long dir = sys_open("/dev/shm", O_RDONLY, 0);
	expect("a directory as input", sys_copy_file_range((int)dir, NULL, out, NULL, 3, 0), EISDIR);
	expect("a directory as output", sys_copy_file_range(in, NULL, (int)dir, NULL, 3, 0), EISDIR);
	long z = sys_open("/dev/zero", O_RDONLY, 0);
	expect("/dev/zero as input", sys_copy_file_range((int)z, NULL, out, NULL, 3, 0), EINVAL);

	CHECK(sys_unlink(in_path) == 0 && sys_unlink(out_path) == 0 && sys_unlink(other_path) == 0);
	return 0;
}
