/* Copy-on-write of private anonymous memory across fork: each side's stores stay its own. */
#include "rt.h"

int main(void) {
	int *a = map_anon(4 * PAGE, PROT_READ | PROT_WRITE);
	for (int i = 0; i < 4; i++) a[i * 1024] = 100 + i;
	/* page 3 is never touched before the fork: both sides start from the zero page */
	a[3 * 1024] = 0;
	int p[2], q[2]; /* p: child to parent, q: parent to child */
	CHECK(sys_pipe2(p, 0) == 0 && sys_pipe2(q, 0) == 0);
	long pid = sys_fork();
	if (pid == 0) {
		say("child sees the parent's values: %d %d %d\n", a[0], a[1024], a[2048]);
		a[0] = 200;
		a[3 * 1024] = 203;
		char c;
		CHECK(sys_write(p[1], "x", 1) == 1);
		CHECK(sys_read(q[0], &c, 1) == 1); /* wait for the parent's stores */
		say("child after the parent stored: %d %d %d %d\n", a[0], a[1024], a[2048], a[3 * 1024]);
		sys_exit_group(0);
	}
	char c;
	CHECK(sys_read(p[0], &c, 1) == 1);
	say("parent after the child stored: %d %d %d %d\n", a[0], a[1024], a[2048], a[3 * 1024]);
	a[1024] = 301;
	CHECK(sys_write(q[1], "y", 1) == 1);
	report_child("child", wait_status(pid));
	say("parent at the end: %d %d %d %d\n", a[0], a[1024], a[2048], a[3 * 1024]);
	/* the brk heap and the stack are private too */
	static int in_bss = 5;
	int on_stack = 6;
	pid = sys_fork();
	if (pid == 0) {
		in_bss = 50, on_stack = 60;
		sys_exit_group(in_bss + on_stack == 110 ? 0 : 1);
	}
	report_child("child writing .data and its stack", wait_status(pid));
	say("parent's .data and stack unchanged: %d %d\n", in_bss, on_stack);
	/* a grandchild's stores reach neither */
	pid = sys_fork();
	if (pid == 0) {
		long g = sys_fork();
		if (g == 0) {
			a[2048] = 999;
			sys_exit_group(0);
		}
		wait_status(g);
		sys_exit_group(a[2048] == 102 ? 0 : 1);
	}
	report_child("child checking after its own child stored", wait_status(pid));
	say("parent's value: %d\n", a[2048]);
	return 0;
}
