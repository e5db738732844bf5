/* brk: the heap after the program's data grows and shrinks; re-grown pages are zero (mm/mmap.c brk). */
#include "rt.h"

static volatile int faults;
static void on_segv(int sig, siginfo_t *si, void *uc) {
	(void)sig, (void)uc;
	faults++;
	/* make the page usable so the load completes */
	sys_mmap((long)si->f.addr & -PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

extern char _end[];

int main(void) {
	long start = sys_brk(0);
	say("brk(0) lies at or above the end of .bss: %s\n", yes(start >= (long)_end));
	long top = sys_brk(start + 3 * PAGE);
	say("grow by 3 pages: moved by %ld bytes\n", top - start);
	u8 *h = (u8 *)((start + PAGE - 1) & -PAGE);
	say("new heap reads zero: %s\n", yes(h[0] == 0 && h[PAGE + 9] == 0));
	memset(h, 0x5a, 2 * PAGE);
	char line[256];
	CHECK(maps_find(h, line, sizeof line));
	size_t n = strlen(line);
	say("/proc/self/maps calls it [heap]: %s\n", yes(n > 6 && strcmp(line + n - 6, "[heap]") == 0));
	long back = sys_brk(start + PAGE / 2);
	say("shrink: brk is what was asked: %s\n", yes(back == start + PAGE / 2));
	CHECK(sig_action(SIGSEGV, on_segv, 0, 0) == 0);
	volatile u8 v = h[2 * PAGE - 1];
	say("a load past the shrunk heap faulted %d time(s), read %d\n", faults, v);
	sys_munmap((long)h + PAGE, PAGE); /* undo the handler's page */
	long again = sys_brk(start + 3 * PAGE);
	say("re-grown: %s; the page given back and taken again reads %d\n", yes(again == start + 3 * PAGE), h[PAGE + 1]);
	say("the page kept over the shrink still holds its data: %s\n", yes(h[10] == 0x5a));
	say("brk below the start is refused (returns the current break): %s\n", yes(sys_brk(start - 64 * PAGE) == again));
	say("brk(huge) is refused the same way: %s\n", yes(sys_brk(start + (1L << 45)) == again));
	/* the heap is private across fork */
	long pid = sys_fork();
	if (pid == 0) {
		h[0] = 1;
		sys_brk(start);
		sys_exit_group(sys_brk(0) == start ? 0 : 1);
	}
	report_child("child storing into and shrinking its heap", wait_status(pid));
	say("parent's heap unchanged: %s, break unchanged: %s\n", yes(h[0] == 0x5a), yes(sys_brk(0) == again));
	return 0;
}
