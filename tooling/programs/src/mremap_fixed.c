/* MREMAP_FIXED moves a mapping to a chosen address, replacing what was there (mm/mremap.c mremap_to). */
#include "rt.h"

int main(void) {
	u8 *src = map_anon(3 * PAGE, PROT_READ | PROT_WRITE);
	u8 *dst = map_anon(4 * PAGE, PROT_READ | PROT_WRITE);
	for (int i = 0; i < 3; i++) src[i * PAGE] = (u8)('a' + i);
	for (int i = 0; i < 4; i++) dst[i * PAGE] = (u8)('W' + i);
	long r = sys_mremap((long)src, 3 * PAGE, 3 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (long)dst);
	say("move 3 pages onto a 4-page mapping: %s, at the target: %s\n", err(r), yes(r == (long)dst));
	say("target now holds %c %c %c, its 4th page kept %c\n", dst[0], dst[PAGE], dst[2 * PAGE], dst[3 * PAGE]);
	u8 vec[1];
	expect("the source is gone", sys_mincore(src, PAGE, vec), ENOMEM);
	/* moving and growing at once */
	long free = (long)map_anon(8 * PAGE, PROT_NONE);
	r = sys_mremap((long)dst, 3 * PAGE, 5 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, free + PAGE);
	say("move + grow 3 -> 5 pages: %s, data %c %c, grown pages zero: %s\n", err(r), ((u8 *)r)[0],
	    ((u8 *)r)[2 * PAGE], yes(((u8 *)r)[3 * PAGE] == 0 && ((u8 *)r)[4 * PAGE] == 0));
	/* moving and shrinking */
	long r2 = sys_mremap(r, 5 * PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (long)dst);
	say("move + shrink 5 -> 1: %s, data %c\n", err(r2), ((u8 *)r2)[0]);
	/* the errors */
	u8 *m = map_anon(4 * PAGE, PROT_READ | PROT_WRITE);
	expect("MREMAP_FIXED without MREMAP_MAYMOVE", sys_mremap((long)m, PAGE, PAGE, MREMAP_FIXED, (long)dst), EINVAL);
	expect("an unaligned new address", sys_mremap((long)m, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (long)dst + 1), EINVAL);
	expect("overlapping old and new ranges", sys_mremap((long)m, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (long)m + PAGE), EINVAL);
	expect("an unknown flag", sys_mremap((long)m, PAGE, PAGE, 0x80, 0), EINVAL);
	expect("an unaligned old address", sys_mremap((long)m + 1, PAGE, PAGE, 0, 0), EINVAL);
	expect("new length 0", sys_mremap((long)m, PAGE, 0, 0, 0), EINVAL);
	expect("the same address (MREMAP_FIXED onto itself)", sys_mremap((long)m, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, (long)m), EINVAL);
	return 0;
}
