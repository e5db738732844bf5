/*
 * Memory-syscall-bound: N rounds of mmap of 4 KiB anonymous private
 * read-write memory, a first touch (one store, a demand-zero fault), a load
 * back and munmap.
 */
#include "bench.h"

int main(void) {
	long n = iterations();
	u64 sum = 0;
	for (long i = 0; i < n; i++) {
		long r = sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CHECK(!MAP_FAILED_P(r));
		volatile u8 *p = (volatile u8 *)r;
		p[i & (PAGE - 1)] = (u8)(i + 1);
		sum += p[i & (PAGE - 1)] + p[(i + 1) & (PAGE - 1)];
		CHECK(sys_munmap(r, PAGE) == 0);
	}
	say("checksum %lx\n", sum);
	return 0;
}
