/* /proc/self/maps as mappings change: lines, permissions, offsets, names; only relative facts are printed. */
#include "rt.h"

struct line {
	unsigned long lo, hi, off;
	char perms[5];
	char name[128];
};

static unsigned long hexnum(const char **p) {
	unsigned long v = 0;
	for (;; (*p)++) {
		char c = **p;
		if (c >= '0' && c <= '9') v = v * 16 + (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f') v = v * 16 + (unsigned long)(c - 'a' + 10);
		else return v;
	}
}

/* "lo-hi perms offset dev inode   name" (fs/proc/task_mmu.c show_map_vma) */
static int find(void *addr, struct line *l) {
	char text[256];
	if (!maps_find(addr, text, sizeof text)) return 0;
	const char *p = text;
	l->lo = hexnum(&p), p++;
	l->hi = hexnum(&p), p++;
	memcpy(l->perms, p, 4), l->perms[4] = 0, p += 5;
	l->off = hexnum(&p), p++;
	for (int f = 0; f < 2; f++) { /* dev, inode */
		while (*p != ' ') p++;
		while (*p == ' ') p++;
	}
	size_t n = strlen(p);
	if (n >= sizeof l->name) n = sizeof l->name - 1;
	memcpy(l->name, p, n), l->name[n] = 0;
	return 1;
}

int main(void) {
	struct line l;
	int base = maps_count();
	u8 *a = map_anon(5 * PAGE, PROT_READ | PROT_WRITE);
	CHECK(find(a, &l));
	say("anonymous 5 pages: +%d line, %lu pages, perms %s, offset %lu, name \"%s\"\n", maps_count() - base,
	    (l.hi - l.lo) / PAGE, l.perms, l.off, l.name);
	CHECK(sys_mprotect((long)a + 2 * PAGE, PAGE, PROT_READ) == 0);
	CHECK(find(a + 2 * PAGE, &l));
	say("mprotect the middle page: +%d lines, middle %lu page %s\n", maps_count() - base, (l.hi - l.lo) / PAGE, l.perms);
	char path[128];
	int fd = open_tmp("/dev/shm", "", path);
	CHECK(sys_ftruncate(fd, 8 * PAGE) == 0);
	long f = sys_mmap(0, 3 * PAGE, PROT_READ, MAP_SHARED, fd, 2 * PAGE);
	CHECK(find((void *)f, &l));
	say("shared file at offset 2 pages: perms %s, offset in pages %lu, names the file: %s\n", l.perms, l.off / PAGE,
	    yes(strcmp(l.name, path) == 0));
	long g = sys_mmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 5 * PAGE);
	CHECK(find((void *)g, &l));
	say("private file: perms %s, offset in pages %lu\n", l.perms, l.off / PAGE);
	CHECK(sys_unlink(path) == 0);
	CHECK(find((void *)f, &l));
	size_t n = strlen(l.name);
	say("after unlink the name ends in \" (deleted)\": %s\n", yes(n > 10 && strcmp(l.name + n - 10, " (deleted)") == 0));
	/* mremap moves the line, munmap removes it */
	int before = maps_count();
	long m = sys_mremap(f, 3 * PAGE, 4 * PAGE, MREMAP_MAYMOVE, 0);
	CHECK(find((void *)m, &l));
	say("mremap to 4 pages: %lu pages, offset in pages still %lu, line count change %d\n", (l.hi - l.lo) / PAGE,
	    l.off / PAGE, maps_count() - before);
	CHECK(sys_munmap(m, 4 * PAGE) == 0);
	say("munmap: line count change %d\n", maps_count() - before);
	/* the stack, and sorted, non-overlapping lines */
	int local;
	CHECK(find(&local, &l));
	say("the stack is \"%s\", perms %s\n", l.name, l.perms);
	char text[8192];
	long len = read_all("/proc/self/maps", text, sizeof text);
	CHECK(len > 0);
	const char *p = text;
	unsigned long prev = 0;
	int sorted = 1, lines = 0;
	while (*p) {
		unsigned long lo = hexnum(&p);
		p++;
		unsigned long hi = hexnum(&p);
		sorted &= lo >= prev && hi > lo && (lo & (PAGE - 1)) == 0 && (hi & (PAGE - 1)) == 0;
		prev = hi;
		lines++;
		while (*p && *p != '\n') p++;
		if (*p) p++;
	}
	say("lines are sorted, page aligned and disjoint: %s\n", yes(sorted));
	/* the program's own image: a line with r-xp holding _start */
	extern char _start[];
	CHECK(find(_start, &l));
	size_t nl = strlen(l.name);
	say("_start lies in an r-xp line of the executable: %s %s\n", l.perms, yes(nl >= 9 && strcmp(l.name + nl - 9, "proc_maps") == 0));
	return 0;
}
