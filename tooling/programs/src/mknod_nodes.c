/*
 * mknod(2) of every type, as fs/namei.c do_mknodat/may_mknod/vfs_mknod and
 * init_special_inode: a regular file (type 0 too), a FIFO that opens as a
 * pipe (O_NONBLOCK writer without reader: ENXIO; a blocked reader woken by
 * a writer's open), character nodes 1:3 and 1:5 that behave as /dev/null
 * and /dev/zero (a mapping of 1:5 is anonymous memory, mmap_zero), a block node 7:0 (/dev/loop0), a socket node (open:
 * ENXIO), an unregistered device number (ENXIO); umask, st_rdev, the errors
 * (EPERM for S_IFDIR, EINVAL for a bad type, EEXIST, ENOENT, ENOTDIR).
 */
#include "rt.h"

#define ENXIO 6
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFREG 0100000
#define S_IFBLK 060000
#define S_IFDIR 040000
#define S_IFCHR 020000
#define S_IFIFO 010000
#define DEV(ma, mi) (((ma) << 8) | (mi))
#define sys_mknod(p, m, d) SC4(__NR_mknodat, AT_FDCWD, p, m, d)
#define sys_umask(m) SC1(__NR_umask, m)

/* The fields printed, from struct stat: x86-64's own layout, riscv64's asm-generic one. */
struct kstat {
#ifdef __x86_64__
	u64 dev, ino, nlink;
	u32 mode, uid, gid, pad0;
	u64 rdev;
	long size;
	long rest[12];
#else
	u64 dev, ino;
	u32 mode, nlink, uid, gid;
	u64 rdev, pad1;
	long size;
	long rest[12];
#endif
};

static struct kstat st;
static long stat_of(const char *path) { return SC4(__NR_newfstatat, AT_FDCWD, path, &st, 0); }

static const char *errx(long r) { return r == -ENXIO ? "ENXIO" : err(r); }

static void show(const char *what, const char *path) {
	CHECK(stat_of(path) == 0);
	say("%s: mode %x rdev %x size %ld\n", what, st.mode, (unsigned)st.rdev, st.size);
}

int main(void) {
	char reg[64], fifo[64], sock[64], nul[64], zero[64], loop[64], none[64], bad[64];
	tmp_path(reg, "/tmp", "reg");
	tmp_path(fifo, "/tmp", "fifo");
	tmp_path(sock, "/tmp", "sock");
	tmp_path(nul, "/tmp", "null");
	tmp_path(zero, "/tmp", "zero");
	tmp_path(loop, "/tmp", "loop");
	tmp_path(none, "/tmp", "none");
	tmp_path(bad, "/tmp", "missing/x");
	sys_umask(022);

	/* regular files */
	expect("mknod type 0, 0666", sys_mknod(reg, 0666, 0), 0);
	show("  type 0", reg);
	expect("mknod over it (EEXIST)", sys_mknod(reg, S_IFREG | 0600, 0), EEXIST);
	CHECK(sys_unlink(reg) == 0);
	expect("mknod S_IFREG with set-uid, 04777", sys_mknod(reg, S_IFREG | 04777, DEV(1, 3)), 0);
	show("  S_IFREG", reg);
	CHECK(sys_unlink(reg) == 0);

	/* the type checks come first */
	expect("mknod S_IFDIR", sys_mknod(reg, S_IFDIR | 0755, 0), EPERM);
	expect("mknod type 0170000", sys_mknod(reg, S_IFMT | 0755, 0), EINVAL);
	expect("mknod type 0070000", sys_mknod(reg, 070000 | 0755, 0), EINVAL);
	expect("mknod S_IFDIR over an existing name", sys_mknod("/tmp", S_IFDIR | 0755, 0), EPERM);
	expect("mknod FIFO on /tmp itself", sys_mknod("/tmp", S_IFIFO | 0600, 0), EEXIST);
	expect("mknod in a missing directory", sys_mknod(bad, S_IFIFO | 0600, 0), ENOENT);
	expect("mknod under /dev/null (ENOTDIR)", sys_mknod("/dev/null/x", S_IFIFO | 0600, 0), ENOTDIR);
	expect("mknod with a bad path pointer", sys_mknod((char *)8, S_IFIFO | 0600, 0), EFAULT);

	/* a FIFO: the device number is dropped */
	expect("mknod S_IFIFO 0666 dev 1:3", sys_mknod(fifo, S_IFIFO | 0666, DEV(1, 3)), 0);
	show("  FIFO", fifo);
	say("O_WRONLY|O_NONBLOCK without a reader: %s\n", errx(sys_open(fifo, O_WRONLY | O_NONBLOCK, 0)));
	long r = sys_open(fifo, O_RDONLY | O_NONBLOCK, 0);
	CHECK(r == 3);
	long w = sys_open(fifo, O_WRONLY | O_NONBLOCK, 0);
	say("O_RDONLY|O_NONBLOCK then O_WRONLY|O_NONBLOCK: %s, %s\n", err(r), err(w));
	char buf[16];
	expect("read of the empty FIFO with a writer", sys_read(r, buf, 4), EAGAIN);
	CHECK(sys_write(w, "fifo", 4) == 4);
	long n = sys_read(r, buf, sizeof buf);
	buf[n > 0 ? n : 0] = 0;
	say("through the FIFO: %ld bytes: %s\n", n, buf);
	expect("lseek on the FIFO", sys_lseek(r, 0, SEEK_SET), ESPIPE);
	CHECK(sys_close(w) == 0);
	expect("read after the writer closed (EOF)", sys_read(r, buf, 4), 0);
	CHECK(sys_close(r) == 0);
	/* a blocking reader waits for a writer's open */
	long pid = sys_fork();
	if (pid == 0) {
		long fd = sys_open(fifo, O_RDONLY, 0);
		long got = sys_read((int)fd, buf, sizeof buf);
		buf[got > 0 ? got : 0] = 0;
		say("child: blocking open for reading returned %s, read %ld bytes: %s\n", fd >= 0 ? "a descriptor" : err(fd), got, buf);
		sys_exit_group(0);
	}
	w = sys_open(fifo, O_WRONLY, 0);
	CHECK(w >= 0);
	CHECK(sys_write(w, "hello", 5) == 5);
	CHECK(sys_close(w) == 0);
	report_child("reader", wait_status(pid));
	w = sys_open(fifo, O_RDWR, 0);
	say("O_RDWR open of the FIFO without a partner: %s\n", w >= 0 ? "ok" : err(w));
	CHECK(sys_close(w) == 0);
	CHECK(sys_unlink(fifo) == 0);

	/* a socket node: set-id bits kept, umask applied; open is ENXIO */
	expect("mknod S_IFSOCK 06777", sys_mknod(sock, S_IFSOCK | 06777, 0), 0);
	show("  socket", sock);
	say("open of the socket node: %s\n", errx(sys_open(sock, O_RDONLY, 0)));
	CHECK(sys_unlink(sock) == 0);

	/* character nodes: the driver by number */
	expect("mknod S_IFCHR 1:3", sys_mknod(nul, S_IFCHR | 0666, DEV(1, 3)), 0);
	show("  1:3", nul);
	long fd = sys_open(nul, O_RDWR, 0);
	CHECK(fd >= 0);
	long wr = sys_write((int)fd, "abc", 3);
	long rd = sys_read((int)fd, buf, 8);
	say("  as /dev/null: write %ld, read %ld\n", wr, rd);
	CHECK(sys_close((int)fd) == 0);
	expect("mknod S_IFCHR 1:5", sys_mknod(zero, S_IFCHR | 0444, DEV(1, 5)), 0);
	fd = sys_open(zero, O_RDONLY, 0);
	CHECK(fd >= 0);
	memset(buf, 'x', sizeof buf);
	n = sys_read((int)fd, buf, 8);
	say("  1:5 as /dev/zero: read %ld, zeros: %s\n", n, yes(buf[0] == 0 && buf[7] == 0 && buf[8] == 'x'));
	char *m = (char *)sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(!MAP_FAILED_P(m));
	say("  mapping it: zeros %s, writable %s\n", yes(m[0] == 0 && m[PAGE - 1] == 0), yes((m[5] = 7) == 7 && m[5] == 7));
	CHECK(sys_munmap(m, PAGE) == 0);
	CHECK(sys_close((int)fd) == 0);
	expect("mknod S_IFCHR 1:5 again (EEXIST)", sys_mknod(zero, S_IFCHR | 0444, DEV(1, 5)), EEXIST);
	expect("mknod S_IFCHR 250:77", sys_mknod(none, S_IFCHR | 0600, DEV(250, 77)), 0);
	say("open of an unregistered character device: %s\n", errx(sys_open(none, O_RDONLY, 0)));
	CHECK(sys_unlink(none) == 0);
	expect("mknod S_IFCHR 1:0x12345 (a large minor)", sys_mknod(none, S_IFCHR | 0600, 0x12300145), 0);
	show("  1:0x12345", none);
	CHECK(sys_unlink(none) == 0);

	/* a block node: the loop device */
	expect("mknod S_IFBLK 7:0", sys_mknod(loop, S_IFBLK | 0600, DEV(7, 0)), 0);
	show("  7:0", loop);
	fd = sys_open(loop, O_RDONLY, 0);
	say("open of the block node 7:0: %s\n", fd >= 0 ? "ok" : errx(fd));
	if (fd >= 0) CHECK(sys_close((int)fd) == 0);
	CHECK(sys_unlink(loop) == 0);
	expect("mknod S_IFBLK 259:200", sys_mknod(none, S_IFBLK | 0600, DEV(259, 200)), 0);
	say("open of an unregistered block device: %s\n", errx(sys_open(none, O_RDONLY, 0)));
	CHECK(sys_unlink(none) == 0);

	CHECK(sys_unlink(nul) == 0);
	CHECK(sys_unlink(zero) == 0);
	return 0;
}
