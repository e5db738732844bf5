/*
 * SIGBUS beyond EOF: a shared file mapping longer than its file faults with
 * SIGBUS/BUS_ADRERR on pages wholly past EOF (mm/filemap.c filemap_fault);
 * the partial last page reads zeros past EOF. The handler grows the file
 * with ftruncate and returns, and the access re-runs and succeeds.
 */
#include "rt.h"

static int fd;
static u8 *map;
static volatile int buses, code, addr_ok;

static void on_bus(int sig, siginfo_t *si, void *uc) {
	(void)sig, (void)uc;
	buses++;
	code = si->si_code;
	addr_ok = si->f.addr == map + 2 * PAGE + 10;
	CHECK(sys_ftruncate(fd, 3 * PAGE) == 0);
}

int main(void) {
	char path[128];
	fd = open_tmp("/dev/shm", "", path);
	CHECK(sys_ftruncate(fd, PAGE + PAGE / 2) == 0); /* 1.5 pages */
	long r = sys_mmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(!MAP_FAILED_P(r));
	map = (u8 *)r;
	map[0] = 1;
	map[PAGE + 100] = 2;
	say("page 0 and the partial page 1 are usable: %s\n", yes(map[0] == 1 && map[PAGE + 100] == 2));
	say("page 1 past EOF reads 0: %s\n", yes(((volatile u8 *)map)[PAGE + PAGE / 2 + 8] == 0));
	CHECK(sig_action(SIGBUS, on_bus, 0, 0) == 0);
	((volatile u8 *)map)[2 * PAGE + 10] = 3;
	say("a store to page 2: SIGBUS %d time(s), si_code %s, si_addr is the byte: %s\n", buses,
	    code == BUS_ADRERR ? "BUS_ADRERR" : "other", yes(addr_ok));
	u8 b = 0;
	CHECK(sys_pread(fd, &b, 1, 2 * PAGE + 10) == 1);
	say("after the handler grew the file the store landed in it: %d\n", b);
	/* shrinking the file takes the pages away from every mapping */
	CHECK(sys_ftruncate(fd, PAGE) == 0);
	buses = 0;
	u8 v = ((volatile u8 *)map)[2 * PAGE + 10];
	say("after shrinking to 1 page a load from page 2 raised SIGBUS %d time(s) and read %d (file regrown empty)\n", buses, v);
	/* a MAP_PRIVATE mapping beyond EOF raises SIGBUS as well */
	CHECK(sys_ftruncate(fd, PAGE) == 0);
	long p = sys_mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	long pid = sys_fork();
	if (pid == 0) {
		sig_set_default(SIGBUS);
		((volatile u8 *)p)[PAGE] = 1;
		sys_exit_group(0);
	}
	report_child("a child storing past EOF in a private mapping", wait_status(pid));
	CHECK(sys_unlink(path) == 0);
	return 0;
}
