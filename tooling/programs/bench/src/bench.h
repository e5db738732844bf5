/*
 * What the bench programs share: the iteration count from argv[1] and the
 * result line. Each program prints `checksum X` (a number that depends only
 * on the work done, so a run on tskern, under qemu-riscv64 and natively on
 * x86-64 can be checked for the same result) and exits 0.
 */
#ifndef BENCH_H
#define BENCH_H
#include "rt.h"

/* argv[1] as a non-negative decimal count; the program fails without one. */
static inline long iterations(void) {
	CHECK(g_argc >= 2);
	long n = 0;
	for (const char *p = g_argv[1]; *p; p++) {
		CHECK(*p >= '0' && *p <= '9');
		n = n * 10 + (*p - '0');
	}
	return n;
}

/* Instructions retired so far (riscv64's instret counter, which Linux lets user mode read); 0 elsewhere. */
static inline unsigned long instret(void) {
#if defined(__riscv)
	unsigned long v;
	__asm__ volatile("rdinstret %0" : "=r"(v));
	return v;
#else
	return 0;
#endif
}

#endif
