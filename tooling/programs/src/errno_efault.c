/* EFAULT at the syscall boundary: bad user pointers are an errno, never a crash (copy_from_user/copy_to_user). */
#include "rt.h"

int main(void) {
	/* an address known to be unmapped, a read-only page and a PROT_NONE page */
	void *ro = map_anon(PAGE, PROT_READ);
	u8 *two = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);
	/* the hole is made last: a later mmap could take it */
	long guard = sys_mmap(0, 3 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(sys_munmap(guard + PAGE, PAGE) == 0);
	void *unmapped = (void *)(guard + PAGE);
	void *none = (void *)guard;
	int p[2];
	CHECK(sys_pipe2(p, 0) == 0);
	CHECK(sys_write(p[1], "abcd", 4) == 4);
	expect("read into an unmapped buffer", sys_read(p[0], unmapped, 1), EFAULT);
	expect("read into a PROT_NONE buffer", sys_read(p[0], none, 1), EFAULT);
	expect("read into a read-only buffer", sys_read(p[0], ro, 1), EFAULT);
	char c[4];
	say("the pipe's data were not consumed: %s\n", yes(sys_read(p[0], c, 4) == 4 && c[0] == 'a'));
	expect("write from an unmapped buffer", sys_write(p[1], unmapped, 1), EFAULT);
	expect("write from a read-only buffer (fine)", sys_write(p[1], ro, 1), 0);
	expect("pipe2 into a read-only array", sys_pipe2((int *)ro, 0), EFAULT);
	expect("clock_gettime into a read-only page", sys_clock_gettime(CLOCK_MONOTONIC, ro), EFAULT);
	expect("rt_sigaction with a bad new action", SC4(__NR_rt_sigaction, SIGUSR1, unmapped, 0, 8), EFAULT);
	expect("rt_sigprocmask with a bad set", sys_sigprocmask(SIG_BLOCK, unmapped, 0), EFAULT);
	expect("prlimit64 into a read-only page", sys_prlimit(0, RLIMIT_NOFILE, 0, ro), EFAULT);
	expect("futex on a PROT_NONE page", sys_futex((int *)none, FUTEX_WAIT, 0, 0), EFAULT);
	expect("mincore's vector in a PROT_NONE page", sys_mincore(ro, PAGE, none), EFAULT);
	expect("openat with an unmapped path", sys_open((char *)unmapped, O_RDONLY, 0), EFAULT);
	expect("getrandom into a read-only page", sys_getrandom(ro, 8, 0), EFAULT);
	expect("wait4 status into a read-only page (no child: ECHILD first)", sys_wait4(-1, (int *)ro, WNOHANG), ECHILD);
	expect("nanosleep with an unmapped request", sys_nanosleep(unmapped, 0), EFAULT);
	expect("uname into a read-only page", SC1(__NR_uname, ro), EFAULT);
	/* a buffer that straddles into an unmapped page: read copies what fits, then stops */
	CHECK(sys_munmap((long)two + PAGE, PAGE) == 0);
	long fd = sys_open("/dev/zero", O_RDONLY, 0);
	long r = sys_read(fd, two + PAGE - 16, 64);
	say("read of /dev/zero across into an unmapped page: %s\n", r < 0 ? err(r) : r == 16 ? "16 bytes" : "other count");
	return 0;
}
