/*
 * SIGCHLD: a child's exit sends it with CLD_EXITED/CLD_KILLED and the status
 * in siginfo; SIGCHLD set to SIG_IGN makes children reap themselves, so
 * wait4 finds none (kernel/signal.c do_notify_parent, kernel/exit.c).
 */
#include "rt.h"

#define CLD_EXITED 1
#define CLD_KILLED 2

static volatile int got, code, status, pid_ok;
static volatile long expect_pid;

static void on_chld(int sig, siginfo_t *si, void *uc) {
	(void)sig, (void)uc;
	got++;
	code = si->si_code;
	pid_ok = si->f.kill.pid == expect_pid;
	status = *(int *)((char *)si + 24); /* si_status follows si_pid and si_uid (asm-generic/siginfo.h _sigchld) */
}

int main(void) {
	CHECK(sig_action(SIGCHLD, on_chld, 0, 0) == 0);
	CHECK(sig_block(SIGBIT(SIGCHLD)) == 0);
	long pid = sys_fork();
	if (pid == 0) sys_exit_group(23);
	expect_pid = pid;
	int st = wait_status(pid); /* reaping does not take the pending SIGCHLD away */
	CHECK(sig_unblock(SIGBIT(SIGCHLD)) == 0);
	say("SIGCHLD for an exit: %d, si_code CLD_EXITED %s, si_pid the child %s, si_status %d\n", got, yes(code == CLD_EXITED), yes(pid_ok), status);
	report_child("child", st);
	got = 0;
	CHECK(sig_block(SIGBIT(SIGCHLD)) == 0);
	pid = sys_fork();
	if (pid == 0) {
		sys_kill(sys_getpid(), SIGKILL);
		sys_exit_group(0);
	}
	expect_pid = pid;
	st = wait_status(pid);
	CHECK(sig_unblock(SIGBIT(SIGCHLD)) == 0);
	say("SIGCHLD for a kill: %d, si_code CLD_KILLED %s, si_status %s\n", got, yes(code == CLD_KILLED), signame(status));
	/* SIG_IGN: no zombies; wait4 blocks until all children are gone, then ECHILD */
	CHECK(sig_set_ignored(SIGCHLD) == 0);
	pid = sys_fork();
	if (pid == 0) sys_exit_group(5);
	int w;
	long r = sys_wait4(pid, &w, 0);
	say("with SIGCHLD ignored, wait4 for an exiting child: %s\n", err(r));
	/* SIG_DFL: SIGCHLD is ignored as an action, but children stay zombies until waited for */
	CHECK(sig_set_default(SIGCHLD) == 0);
	pid = sys_fork();
	if (pid == 0) sys_exit_group(6);
	sleep_ms(20);
	report_child("with SIG_DFL the zombie is there to wait for", wait_status(pid));
	return 0;
}
