/* Anonymous private mappings: zero fill, page rounding, hints, MAP_FIXED replacing, MAP_FIXED_NOREPLACE. */
#include "rt.h"

int main(void) {
	long a = sys_mmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(!MAP_FAILED_P(a));
	u8 *p = (u8 *)a;
	say("page aligned: %s\n", yes((a & (PAGE - 1)) == 0));
	int zero = 1;
	for (unsigned long i = 0; i < 3 * PAGE; i++) zero &= p[i] == 0;
	say("zero filled: %s\n", yes(zero));
	for (unsigned long i = 0; i < 3 * PAGE; i++) p[i] = (u8)(i * 7);
	int same = 1;
	for (unsigned long i = 0; i < 3 * PAGE; i++) same &= p[i] == (u8)(i * 7);
	say("reads back what was written: %s\n", yes(same));

	/* a length that is not a page multiple is rounded up (mm/mmap.c do_mmap: PAGE_ALIGN(len)) */
	long hole = sys_mmap(0, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(sys_munmap(hole + PAGE, PAGE) == 0); /* a free page after the one mapped next */
	long b = sys_mmap(hole, 100, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(b == hole);
	((u8 *)b)[PAGE - 1] = 1;
	say("mmap(100 bytes): the whole page is usable: %s\n", yes(resident((void *)b, 1) == 1));
	expect("mincore of the page after it", sys_mincore((void *)(b + PAGE), PAGE, (u8[1]){0}), ENOMEM);

	/* MAP_FIXED over the middle page replaces it with a fresh zero page */
	long c = sys_mmap(a + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	say("MAP_FIXED returns the address asked for: %s\n", yes(c == a + PAGE));
	say("the replaced page reads 0: %s, its neighbours kept their data: %s\n", yes(p[PAGE + 5] == 0),
	    yes(p[5] == 35 && p[2 * PAGE + 1] == (u8)((2 * PAGE + 1) * 7)));

	/* MAP_FIXED_NOREPLACE fails on an occupied range (since 4.17) */
	expect("MAP_FIXED_NOREPLACE over a mapping",
	       sys_mmap(a, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0), EEXIST);
	CHECK(sys_munmap(a, 3 * PAGE) == 0);
	long d = sys_mmap(a, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	say("MAP_FIXED_NOREPLACE on a free range gets it: %s\n", yes(d == a));
	/* a hint on a free range is honoured */
	CHECK(sys_munmap(d, PAGE) == 0);
	long e = sys_mmap(a + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	say("a free hint is used: %s\n", yes(e == a + PAGE));
	/* PROT_NONE mappings exist but cannot be touched; they still count in mincore */
	long f = sys_mmap(0, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(!MAP_FAILED_P(f));
	say("mincore of an untouched PROT_NONE mapping: %d resident\n", resident((void *)f, 2));
	expect("write(2) from a PROT_NONE buffer", sys_write(1, (void *)f, 1), EFAULT);
	/* MAP_POPULATE faults the pages in at once */
	long g = sys_mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	say("MAP_POPULATE: %d of 4 resident\n", resident((void *)g, 4));
	long h = sys_mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	say("without it: %d of 4 resident\n", resident((void *)h, 4));
	return 0;
}
