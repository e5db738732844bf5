/*
 * MREMAP_DONTUNMAP (5.7; any mapping since 5.13): the pages move to the new
 * address, the old range stays mapped. A private anonymous old range reads
 * zero after; a shared one still shows the object's data.
 */
#include "rt.h"

int main(void) {
	u8 *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);
	p[0] = 'p', p[PAGE] = 'q';
	int before = maps_count();
	long r = sys_mremap((long)p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	say("private anonymous: %s, moved: %s, maps lines +%d\n", err(r), yes(r != (long)p), maps_count() - before);
	say("new range holds %c %c; old range still mapped, reads %d %d\n", ((u8 *)r)[0], ((u8 *)r)[PAGE], p[0], p[PAGE]);
	p[0] = 'x';
	say("a store to the old range stays there: new %c, old %c\n", ((u8 *)r)[0], p[0]);
	/* shared anonymous: the old range keeps showing the same object */
	long s = sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	((u8 *)s)[0] = 's';
	long t = sys_mremap(s, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	say("shared anonymous: %s; new %c, old %c\n", err(t), ((u8 *)t)[0], ((u8 *)s)[0]);
	((u8 *)t)[0] = 'T';
	say("a store through the new range shows in the old: %c\n", ((u8 *)s)[0]);
	/* with MREMAP_FIXED to a chosen address */
	u8 *dst = map_anon(PAGE, PROT_READ | PROT_WRITE);
	u8 *q = map_anon(PAGE, PROT_READ | PROT_WRITE);
	q[0] = 'f';
	long u = sys_mremap((long)q, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP | MREMAP_FIXED, (long)dst);
	say("with MREMAP_FIXED: %s at the target: %s, holds %c, old reads %d\n", err(u), yes(u == (long)dst), dst[0], q[0]);
	expect("different old and new lengths", sys_mremap((long)p, 2 * PAGE, 3 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), EINVAL);
	expect("without MREMAP_MAYMOVE", sys_mremap((long)p, PAGE, PAGE, MREMAP_DONTUNMAP, 0), EINVAL);
	return 0;
}
