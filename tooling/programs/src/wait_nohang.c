/* wait4: WNOHANG on a running child, waiting for any child (-1), ECHILD, and a zombie reaped once. */
#include "rt.h"

int main(void) {
	int p[2];
	CHECK(sys_pipe2(p, O_CLOEXEC) == 0);
	long pid = sys_fork();
	if (pid == 0) {
		char c;
		sys_close(p[1]);
		long r = sys_read(p[0], &c, 1); /* blocks until the parent writes */
		sys_exit_group(r == 1 ? c : 99);
	}
	sys_close(p[0]);
	int st = -1;
	expect("wait4(child, WNOHANG) while it runs", sys_wait4(pid, &st, WNOHANG), 0);
	say("  returned 0 (no child changed state): %s\n", yes(sys_wait4(pid, &st, WNOHANG) == 0));
	CHECK(sys_write(p[1], "\x07", 1) == 1);
	long r = sys_wait4(-1, &st, 0);
	say("wait4(-1) returns that child: %s\n", yes(r == pid));
	report_child("child", st);
	expect("wait4(child) again", sys_wait4(pid, &st, 0), ECHILD);
	expect("wait4(-1, WNOHANG) without children", sys_wait4(-1, &st, WNOHANG), ECHILD);
	/* a zombie: the child exits, the parent waits later */
	pid = sys_fork();
	if (pid == 0) sys_exit_group(3);
	sleep_ms(20);
	r = sys_wait4(pid, &st, WNOHANG);
	if (r == 0) r = sys_wait4(pid, &st, 0); /* a slow child: still exited later */
	say("zombie reaped: %s\n", yes(r == pid));
	report_child("zombie", st);
	/* kernel_wait4 reaps the child, then fails to store the status (kernel/exit.c) */
	pid = sys_fork();
	if (pid == 0) sys_exit_group(0);
	expect("wait4 with a bad status pointer", sys_wait4(pid, (int *)8, 0), EFAULT);
	say("wait4 of that child again: %s\n", err(sys_wait4(pid, &st, WNOHANG)));
	return 0;
}
