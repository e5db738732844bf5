/* munmap punching holes: the pages around keep their data, the holes fault, /proc/self/maps splits. */
#include "rt.h"

static volatile int faults;
static long hole_page;

static void on_segv(int sig, siginfo_t *si, void *uc) {
	(void)sig, (void)uc;
	faults++;
	/* map the hole again so the faulting load can complete (it then reads 0) */
	long r = sys_mmap((long)si->f.addr & -PAGE, PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	hole_page = r;
}

int main(void) {
	int before = maps_count();
	u8 *p = map_anon(8 * PAGE, PROT_READ | PROT_WRITE);
	for (int i = 0; i < 8; i++) memset(p + i * PAGE, 'a' + i, PAGE);
	say("one mapping adds lines to /proc/self/maps: %d\n", maps_count() - before);
	CHECK(sys_munmap(p + 2 * PAGE, PAGE) == 0);
	CHECK(sys_munmap(p + 5 * PAGE, 2 * PAGE) == 0);
	say("two holes: the mapping is now %d lines\n", maps_count() - before);
	u8 vec[8];
	for (int i = 0; i < 8; i++) {
		long r = sys_mincore(p + i * PAGE, PAGE, vec);
		say("page %d: %s", i, r == 0 ? "mapped" : err(r));
		if (r == 0) say(", holds '%c'", p[i * PAGE + 100]);
		say("\n");
	}
	expect("mincore across a hole", sys_mincore(p, 4 * PAGE, vec), ENOMEM);
	CHECK(sig_action(SIGSEGV, on_segv, 0, 0) == 0);
	volatile u8 *h = p + 6 * PAGE;
	u8 v = h[7];
	say("a load from the hole faulted %d time(s); the handler's fresh page gave %d\n", faults, v);
	say("the handler mapped the faulting page: %s\n", yes(hole_page == (long)(p + 6 * PAGE)));
	/* unmapping a range that spans mappings and holes at once */
	CHECK(sys_munmap(p, 8 * PAGE) == 0);
	say("after unmapping all 8 pages: %d lines more than at the start\n", maps_count() - before);
	expect("mincore of the old range", sys_mincore(p, PAGE, vec), ENOMEM);
	/* munmap of the middle of a shared file mapping works the same */
	char path[128];
	int fd = open_tmp("/dev/shm", "", path);
	CHECK(sys_ftruncate(fd, 4 * PAGE) == 0);
	long s = sys_mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(!MAP_FAILED_P(s));
	memset((void *)s, 'x', 4 * PAGE);
	CHECK(sys_munmap(s + PAGE, 2 * PAGE) == 0);
	((u8 *)s)[3 * PAGE] = 'y';
	char b[2];
	CHECK(sys_pread(fd, b, 1, PAGE) == 1 && sys_pread(fd, b + 1, 1, 3 * PAGE) == 1);
	say("a file's pages under a hole keep their data: '%c', the last page sees the new store: '%c'\n", b[0], b[1]);
	CHECK(sys_unlink(path) == 0);
	return 0;
}
