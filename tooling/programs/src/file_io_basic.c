/* openat/read/write/lseek/ftruncate/unlinkat on /tmp: the file-descriptor basics the memory programs rely on. */
#include "rt.h"

int main(void) {
	char path[128];
	tmp_path(path, "/tmp", "");
	sys_unlink(path);
	long fd = sys_open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	expect("O_CREAT|O_EXCL of a new file", fd, 0);
	expect("O_CREAT|O_EXCL again", sys_open(path, O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
	expect("opening a missing file", sys_open("/tmp/tskern-file_io_basic-missing", O_RDONLY, 0), ENOENT);
	expect("O_DIRECTORY on a file", sys_open(path, O_RDONLY | O_DIRECTORY, 0), ENOTDIR);
	expect("O_WRONLY on a directory", sys_open("/tmp", O_WRONLY, 0), EISDIR);
	expect("a bad path pointer", sys_open((char *)8, O_RDONLY, 0), EFAULT);
	CHECK(sys_write(fd, "0123456789", 10) == 10);
	say("offset after writing 10: %ld\n", sys_lseek(fd, 0, SEEK_CUR));
	/* one call per statement: the order in which C evaluates arguments is unspecified */
	long s1 = sys_lseek(fd, 3, SEEK_SET);
	long s2 = sys_lseek(fd, 2, SEEK_CUR);
	long s3 = sys_lseek(fd, -1, SEEK_END);
	say("SEEK_SET 3: %ld, SEEK_CUR +2: %ld, SEEK_END -1: %ld\n", s1, s2, s3);
	expect("lseek before the start", sys_lseek(fd, -20, SEEK_SET), EINVAL);
	expect("lseek with a bad whence", sys_lseek(fd, 0, 9), EINVAL);
	char buf[32] = {0};
	CHECK(sys_lseek(fd, 4, SEEK_SET) == 4);
	long n = sys_read(fd, buf, 3);
	say("read 3 at 4: %ld \"%s\", offset now %ld\n", n, buf, sys_lseek(fd, 0, SEEK_CUR));
	memset(buf, 0, sizeof buf);
	n = sys_pread(fd, buf, 100, 8);
	say("pread past the end returns the rest: %ld \"%s\"; offset unchanged %ld\n", n, buf, sys_lseek(fd, 0, SEEK_CUR));
	say("pread at EOF: %ld\n", sys_pread(fd, buf, 4, 10));
	/* a hole: writing past EOF leaves zeros between */
	CHECK(sys_pwrite(fd, "Z", 1, 20) == 1);
	CHECK(sys_pread(fd, buf, 11, 10) == 11);
	say("bytes 10..19 of the hole are zero: %s, byte 20 %c\n", yes(buf[0] == 0 && buf[9] == 0), buf[10]);
	CHECK(sys_ftruncate(fd, 5) == 0);
	say("after ftruncate(5): size %ld, read at 0 gives %ld bytes\n", sys_lseek(fd, 0, SEEK_END), sys_pread(fd, buf, 32, 0));
	expect("ftruncate to a negative size", sys_ftruncate(fd, -1), EINVAL);
	long ro = sys_open(path, O_RDONLY, 0);
	expect("write to an O_RDONLY descriptor", sys_write(ro, "x", 1), EBADF);
	expect("ftruncate through an O_RDONLY descriptor", sys_ftruncate(ro, 0), EINVAL);
	expect("read into a bad buffer", sys_read(ro, (void *)8, 1), EFAULT);
	/* O_APPEND writes at the end whatever the offset */
	long ap = sys_open(path, O_WRONLY | O_APPEND, 0);
	CHECK(sys_lseek(ap, 0, SEEK_SET) == 0);
	CHECK(sys_write(ap, "END", 3) == 3);
	memset(buf, 0, sizeof buf);
	CHECK(sys_pread(fd, buf, 32, 0) == 8);
	say("after an O_APPEND write: size %ld, content %s\n", sys_lseek(fd, 0, SEEK_END), buf);
	/* O_TRUNC */
	long t = sys_open(path, O_RDWR | O_TRUNC, 0);
	say("O_TRUNC empties it: size %ld\n", sys_lseek(t, 0, SEEK_END));
	/* unlink while open: the descriptor still works */
	expect("unlink while open", sys_unlink(path), 0);
	CHECK(sys_write(t, "still", 5) == 5);
	say("the unlinked file still reads: %s\n", yes(sys_pread(t, buf, 5, 0) == 5 && memcmp(buf, "still", 5) == 0));
	expect("unlink again", sys_unlink(path), ENOENT);
	/* directories */
	char dir[128];
	tmp_path(dir, "/tmp", "dir");
	expect("mkdir", sys_mkdir(dir, 0700), 0);
	expect("mkdir again", sys_mkdir(dir, 0700), EEXIST);
	expect("unlink of a directory", sys_unlink(dir), EISDIR);
	expect("rmdir", sys_rmdir(dir), 0);
	return 0;
}
