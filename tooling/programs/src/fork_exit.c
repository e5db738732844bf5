/* fork + exit codes: wait4 reports each child's exit status; the child inherits memory as of the fork. */
#include "rt.h"

static int codes[] = {0, 1, 42, 255, 256 + 7};

int main(void) {
	long pids[5];
	int value = 1234;
	for (int i = 0; i < 5; i++) {
		long pid = sys_fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			/* the child sees the parent's memory as of fork; only the low 8 bits of the code survive */
			sys_exit_group(value == 1234 + i ? codes[i] : 99);
		}
		pids[i] = pid;
		value++;
	}
	for (int i = 0; i < 5; i++) {
		int st = wait_status(pids[i]);
		say("child %d exit(%d): exited %s, status %d\n", i, codes[i], yes(W_EXITED(st)), W_EXITSTATUS(st));
		CHECK(W_EXITED(st) && W_EXITSTATUS(st) == (codes[i] & 0xff));
	}
	int st;
	expect("wait4(-1) with no children left", sys_wait4(-1, &st, 0), ECHILD);
	long self = sys_getpid();
	long pid = sys_fork();
	if (pid == 0) sys_exit_group(sys_getppid() == self ? 0 : 1);
	st = wait_status(pid);
	report_child("child's getppid() is the parent", st);
	CHECK(W_EXITED(st) && W_EXITSTATUS(st) == 0);
	say("fork returns a new pid: %s\n", yes(pid != self && pid > 0));
	return 0;
}
