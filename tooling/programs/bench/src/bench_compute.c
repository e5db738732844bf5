/*
 * Compute-bound: N rounds over a 1,024-word table of xorshift steps,
 * multiplies, table loads and stores and a data-dependent branch, with no
 * system call inside the loop. Prints the checksum and, on riscv64, the
 * instructions the loop retired (`instret N`, read with rdinstret) so a
 * runner can turn time into MIPS.
 */
#include "bench.h"

#define WORDS 1024

static u32 table[WORDS];

int main(void) {
	long n = iterations();
	u64 x = 0x9e3779b97f4a7c15UL, acc = 0;
	for (int j = 0; j < WORDS; j++) table[j] = (u32)j * 2654435761u;
	unsigned long start = instret();
	for (long i = 0; i < n; i++) {
		for (int j = 0; j < WORDS; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			u32 k = (u32)(x >> 40) & (WORDS - 1);
			u32 v = table[k] * 3u + (u32)x;
			table[j] ^= v;
			if (v & 1) acc += v;
			else acc ^= (u64)v << 7;
		}
	}
	unsigned long retired = instret() - start;
	for (int j = 0; j < WORDS; j++) acc = acc * 31 + table[j];
	say("checksum %lx\n", acc);
#if defined(__riscv)
	say("instret %lu\n", retired);
#else
	(void)retired;
#endif
	return 0;
}
