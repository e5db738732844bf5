/*
 * The main stack grows on demand below its initial pages, up to
 * RLIMIT_STACK (mm/mmap.c expand_stack); the [stack] line of
 * /proc/self/maps grows with it. A fault beyond the limit is SIGSEGV.
 */
#include "rt.h"

static unsigned long stack_pages(void) {
	int local;
	char line[256];
	CHECK(maps_find(&local, line, sizeof line));
	const char *p = line;
	unsigned long lo = 0, hi = 0;
	for (; *p != '-'; p++) lo = lo * 16 + (unsigned long)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
	for (p++; *p != ' '; p++) hi = hi * 16 + (unsigned long)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
	return (hi - lo) / PAGE;
}

static volatile int sink;

static int deep(int n) {
	volatile u8 frame[1024];
	frame[0] = (u8)n;
	frame[1023] = (u8)n;
	if (n == 0) return frame[0];
	return deep(n - 1) + frame[1023] + sink;
}

int main(void) {
	unsigned long before = stack_pages();
	deep(4096); /* over 4 MiB of frames; the initial stack mapping is only about 128 KiB (fs/exec.c setup_arg_pages) */
	unsigned long after = stack_pages();
	say("the [stack] mapping grew by at least 2 MiB: %s\n", yes(after >= before + 512));
	say("and stays grown after returning: %s\n", yes(stack_pages() == after));
	/* a child with an 8 MiB soft limit recursing without end dies of SIGSEGV */
	long pid = sys_fork();
	if (pid == 0) {
		struct rlimit64 lim = {8UL << 20, 8UL << 20};
		sys_prlimit(0, RLIMIT_STACK, &lim, 0);
		deep(1 << 30);
		sys_exit_group(0);
	}
	report_child("child recursing past RLIMIT_STACK", wait_status(pid));
	return 0;
}
