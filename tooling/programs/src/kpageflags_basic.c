/* /proc/kpageflags and /proc/kpagecount (fs/proc/page.c) at the frames /proc/self/pagemap names, for anonymous, shared anonymous and tmpfs pages. */
#include "rt.h"

/*
 * The KPF_* bits compared (include/uapi/linux/kernel-page-flags.h). Left
 * out on purpose: LOCKED and WRITEBACK (transient), REFERENCED and ACTIVE
 * (page aging, which depends on what else the machine does), LRU (a new
 * page reaches its LRU list through a per-CPU batch, so Linux shows it
 * late or early), THP, KSM, IDLE, the slab/page-table kinds, and the
 * kernel-hacking bits above 31.
 */
#define KPF_UPTODATE 3
#define KPF_DIRTY 4
#define KPF_BUDDY 10
#define KPF_MMAP 11
#define KPF_ANON 12
#define KPF_SWAPBACKED 14
#define KPF_NOPAGE 20
#define KPF_ZERO_PAGE 24
static const struct {
	int bit;
	const char *name;
} names[] = {
	{KPF_UPTODATE, "uptodate"}, {KPF_DIRTY, "dirty"}, {KPF_BUDDY, "buddy"}, {KPF_MMAP, "mmap"},
	{KPF_ANON, "anon"}, {KPF_SWAPBACKED, "swapbacked"}, {KPF_NOPAGE, "nopage"}, {KPF_ZERO_PAGE, "zero_page"},
};
#define PM_PRESENT (1UL << 63)
#define PM_PFN ((1UL << 55) - 1)

static int pagemap, kflags, kcount;

static u64 entry(int fd, u64 index) {
	u64 e = 0;
	CHECK(sys_pread(fd, &e, 8, index * 8) == 8);
	return e;
}

/* the frame of the page at p: present, with a frame number (the reader is root) */
static u64 pfn_of(void *p) {
	u64 e = entry(pagemap, (u64)p / PAGE);
	CHECK(e & PM_PRESENT);
	CHECK((e & PM_PFN) != 0);
	return e & PM_PFN;
}

static void show(const char *what, void *p) {
	u64 pfn = pfn_of(p);
	u64 f = entry(kflags, pfn);
	say("%s:", what);
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		if (f & (1UL << names[i].bit)) say(" %s", names[i].name);
	say(" (mapcount %lu)\n", entry(kcount, pfn));
}

int main(void) {
	pagemap = sys_open("/proc/self/pagemap", O_RDONLY, 0);
	kflags = sys_open("/proc/kpageflags", O_RDONLY, 0);
	kcount = sys_open("/proc/kpagecount", O_RDONLY, 0);
	CHECK(pagemap >= 0 && kflags >= 0 && kcount >= 0);

	/* the file's rules: 8-byte entries, EINVAL off them, nothing past the last frame */
	u64 buf[2];
	expect("kpageflags at a misaligned offset", sys_pread(kflags, buf, 8, 4), EINVAL);
	expect("kpageflags with a misaligned count", sys_pread(kflags, buf, 12, 0), EINVAL);
	say("kpageflags past the last frame: %ld bytes\n", sys_pread(kflags, buf, 16, 8L << 40));
	say("kpagecount past the last frame: %ld bytes\n", sys_pread(kcount, buf, 16, 8L << 40));
	expect("write to kpageflags", sys_pwrite(kflags, buf, 8, 0), EBADF);

	/* private anonymous memory: the zero page until a store, then a page of its own */
	u8 *a = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);
	volatile u8 v = a[PAGE];
	(void)v;
	show("private anonymous, loaded", a + PAGE);
	a[0] = 1;
	show("private anonymous, stored", a);

	/* shared anonymous memory is shmem */
	u8 *s = (u8 *)sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(!MAP_FAILED_P(s));
	s[0] = 1;
	show("shared anonymous, stored", s);
	long pid = sys_fork();
	if (pid == 0) {
		v = s[0];
		show("shared anonymous, loaded in a child too", s);
		sys_exit_group(0);
	}
	CHECK(wait_status(pid) == 0);

	/* a tmpfs file: pwrite fills page 0, the mapping stores to page 1; shmem never writes back */
	char path[128];
	int fd = open_tmp("/dev/shm", "", path);
	CHECK(sys_ftruncate(fd, 3 * PAGE) == 0);
	CHECK(sys_pwrite(fd, "x", 1, 0) == 1);
	u8 *m = (u8 *)sys_mmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(!MAP_FAILED_P(m));
	v = m[0];
	show("tmpfs, written by pwrite, mapped", m);
	m[PAGE] = 1;
	show("tmpfs, stored through the mapping", m + PAGE);
	CHECK(sys_msync((long)m, 3 * PAGE, MS_SYNC) == 0);
	show("tmpfs, after msync", m + PAGE);
	u8 *c = (u8 *)sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(!MAP_FAILED_P(c));
	c[0] = 2;
	show("tmpfs, private copy after a store", c);
	CHECK(sys_unlink(path) == 0);
	return 0;
}
