/*
 * Memory-syscall-bound: 4,096 pages (16 MiB) of MAP_SHARED anonymous
 * memory; N rounds of fork, the child writing one word in every page and
 * exiting, the parent waiting and reading every page. The child takes a
 * fault per page (fork copies no page-table entries of a shared mapping
 * without anonymous pages: mm/memory.c vma_needs_copy).
 */
#include "bench.h"

#define PAGES 4096

int main(void) {
	long n = iterations();
	long r = sys_mmap(0, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(!MAP_FAILED_P(r));
	volatile u64 *mem = (volatile u64 *)r;
	u64 sum = 0;
	for (long i = 0; i < n; i++) {
		long pid = sys_fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			for (long p = 0; p < PAGES; p++) mem[p * (PAGE / 8)] = (u64)(i * PAGES + p);
			sys_exit_group(0);
		}
		int status = wait_status(pid);
		CHECK(W_EXITED(status) && W_EXITSTATUS(status) == 0);
		for (long p = 0; p < PAGES; p++) sum += mem[p * (PAGE / 8)] ^ (u64)p;
	}
	say("checksum %lx\n", sum);
	return 0;
}
