/* mremap shrinking: always in place, the tail is unmapped, the head keeps its data; old_len 0 duplicates shared mappings. */
#include "rt.h"

int main(void) {
	u8 *p = map_anon(6 * PAGE, PROT_READ | PROT_WRITE);
	for (int i = 0; i < 6; i++) p[i * PAGE] = (u8)(10 + i);
	long r = sys_mremap((long)p, 6 * PAGE, 2 * PAGE, 0, 0);
	say("shrink 6 -> 2 pages: %s, same address: %s\n", err(r), yes(r == (long)p));
	say("kept: %d %d\n", p[0], p[PAGE]);
	u8 vec[4];
	expect("mincore of the dropped tail", sys_mincore(p + 2 * PAGE, 4 * PAGE, vec), ENOMEM);
	/* shrinking with MAYMOVE still stays */
	r = sys_mremap((long)p, 2 * PAGE, PAGE, MREMAP_MAYMOVE, 0);
	say("shrink 2 -> 1 with MREMAP_MAYMOVE stays: %s\n", yes(r == (long)p));
	/* growing back in place gives zero pages, not the old data */
	r = sys_mremap((long)p, PAGE, 3 * PAGE, 0, 0);
	say("grow back in place: %s, the re-grown page reads %d\n", err(r), r == (long)p ? p[PAGE] : -1);
	/* growing needs the whole old range in one mapping (mm/mremap.c vma_to_resize) */
	expect("grow an old range that runs past the mapping", sys_mremap((long)p, 6 * PAGE, 7 * PAGE, MREMAP_MAYMOVE, 0), EFAULT);
	/* shrinking just unmaps [addr + new_len, addr + old_len), holes or not */
	expect("shrink an old range that runs past the mapping", sys_mremap((long)p, 6 * PAGE, PAGE, 0, 0), 0);
	/* old_len 0 on a shared mapping makes a second mapping of the same pages */
	long s = sys_mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long d = sys_mremap(s, 0, 2 * PAGE, MREMAP_MAYMOVE, 0);
	say("old_len 0 of a shared mapping: %s, a new address: %s\n", err(d), yes(d != s));
	((u8 *)s)[PAGE + 1] = 42;
	say("the duplicate aliases the original: %d\n", ((u8 *)d)[PAGE + 1]);
	long q = (long)map_anon(PAGE, PROT_READ | PROT_WRITE);
	expect("old_len 0 of a private mapping", sys_mremap(q, 0, PAGE, MREMAP_MAYMOVE, 0), EINVAL);
	return 0;
}
