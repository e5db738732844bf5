/* Death by signal: wait4 reports the terminating signal of a child killed by kill, by a fault, or by itself. */
#include "rt.h"

static void die(int how) {
	switch (how) {
	case 0: sys_kill(sys_getpid(), SIGTERM); break;
	case 1: sys_kill(sys_getpid(), SIGKILL); break;
	case 2: {
		volatile unsigned long bad = 8; /* unmapped: SIGSEGV */
		*(volatile int *)bad = 1;
		break;
	}
	case 3: {
		volatile int *p = map_anon(PAGE, PROT_READ);
		*p = 1; /* read-only: SIGSEGV */
		break;
	}
	case 4: sys_kill(sys_getpid(), SIGUSR1); break;
	case 5: sys_tgkill(sys_getpid(), sys_gettid(), SIGABRT); break;
	case 6: for (;;) sys_sched_yield(); /* the parent kills it */
	}
	sys_exit_group(100);
}

int main(void) {
	const char *what[] = {"kill(self, SIGTERM)", "kill(self, SIGKILL)", "store to address 8",
			      "store to a PROT_READ page", "kill(self, SIGUSR1)", "tgkill(self, SIGABRT)",
			      "killed by the parent with SIGKILL"};
	for (int i = 0; i < 7; i++) {
		long pid = sys_fork();
		CHECK(pid >= 0);
		if (pid == 0) die(i);
		if (i == 6) CHECK(sys_kill(pid, SIGKILL) == 0);
		int st = wait_status(pid);
		report_child(what[i], st);
		CHECK(W_SIGNALED(st));
	}
	/* an ignored SIGTERM does not kill; SIGKILL cannot be ignored */
	long pid = sys_fork();
	if (pid == 0) {
		sig_set_ignored(SIGTERM);
		sys_kill(sys_getpid(), SIGTERM);
		expect("sigaction(SIGKILL, SIG_IGN)", sig_set_ignored(SIGKILL), EINVAL);
		sys_exit_group(5);
	}
	report_child("child ignoring SIGTERM", wait_status(pid));
	expect("kill(pid, 0) of a reaped child", sys_kill(pid, 0), ESRCH);
	expect("kill(self, 0)", sys_kill(sys_getpid(), 0), 0);
	expect("kill(self, 65)", sys_kill(sys_getpid(), 65), EINVAL);
	return 0;
}
