/*
 * A handler that simply returns, installed without the suite's own
 * rt_sigreturn stub: on riscv64 the return goes through the ra the kernel
 * set, which Linux points at the vDSO's __vdso_rt_sigreturn
 * (arch/riscv/kernel/signal.c setup_rt_frame); x86-64 needs SA_RESTORER
 * either way. A kernel without a sigreturn trampoline fails this program.
 */
#include "rt.h"

static volatile int hits, last;

static void on_usr(int sig, siginfo_t *si, void *uc) {
	(void)si, (void)uc;
	hits++;
	last = sig;
}

int main(void) {
	CHECK(sig_action_plain(SIGUSR1, on_usr, 0) == 0);
	CHECK(sig_action_plain(SIGUSR2, on_usr, 0) == 0);
	long keep = 0x1234567;
	sys_kill(sys_getpid(), SIGUSR1);
	sys_kill(sys_getpid(), SIGUSR2);
	say("handler ran %d time(s), last %s\n", hits, signame(last));
	say("the interrupted code's state survived: %s\n", yes(keep == 0x1234567));
	sig_block(SIGBIT(SIGUSR1));
	sys_kill(sys_getpid(), SIGUSR1);
	say("while blocked: %d\n", hits);
	sig_unblock(SIGBIT(SIGUSR1));
	say("after unblocking: %d\n", hits);
	return 0;
}
