/* sigaction, sigprocmask, sigpending and kill to oneself (kernel/signal.c). */
#include "rt.h"

static volatile int order[8], count;
static volatile int saw_code, saw_pid_ok;

static void handler(int sig, siginfo_t *si, void *uc) {
	(void)uc;
	if (count < 8) order[count++] = sig;
	saw_code = si->si_code;
	saw_pid_ok = si->f.kill.pid == sys_getpid();
}

static void nested(int sig, siginfo_t *si, void *uc) {
	(void)si, (void)uc;
	static int sent;
	if (count < 8) order[count++] = sig;
	if (sig == SIGUSR1 && !sent) {
		sent = 1;
		/* SIGUSR1 is blocked inside its own handler; SIGUSR2 (not in sa_mask) interrupts it */
		sys_kill(sys_getpid(), SIGUSR1);
		sys_kill(sys_getpid(), SIGUSR2);
		if (count < 8) order[count++] = 100;
	}
}

int main(void) {
	CHECK(sig_action(SIGUSR1, handler, 0, 0) == 0);
	sys_kill(sys_getpid(), SIGUSR1);
	say("kill(self, SIGUSR1) ran the handler before returning: %s; si_code SI_USER: %s; si_pid is us: %s\n",
	    yes(count == 1), yes(saw_code == SI_USER), yes(saw_pid_ok));
	sys_tgkill(sys_getpid(), sys_gettid(), SIGUSR1);
	say("tgkill: si_code SI_TKILL: %s\n", yes(saw_code == SI_TKILL));
	/* block, send, see it pending, unblock: delivered once (standard signals do not queue) */
	count = 0;
	CHECK(sig_block(SIGBIT(SIGUSR1)) == 0);
	sys_kill(sys_getpid(), SIGUSR1);
	sys_kill(sys_getpid(), SIGUSR1);
	unsigned long pend = 0;
	sys_sigpending(&pend);
	say("blocked: handler ran %d time(s), pending SIGUSR1 %s\n", count, yes(pend & SIGBIT(SIGUSR1)));
	CHECK(sig_unblock(SIGBIT(SIGUSR1)) == 0);
	say("unblocked: delivered %d time(s)\n", count);
	/*
	 * real-time signals queue: two sends of one, two deliveries. The lowest is
	 * dequeued first, but the handlers do not block each other, so on the way
	 * back to user mode the kernel stacks the next frame on top before any
	 * handler runs (exit_to_user_mode_loop): the last frame built runs first.
	 */
	count = 0;
	CHECK(sig_action(SIGRTMIN + 1, handler, 0, 0) == 0 && sig_action(SIGRTMIN + 2, handler, 0, 0) == 0);
	sig_block(SIGBIT(SIGRTMIN + 1) | SIGBIT(SIGRTMIN + 2));
	sys_kill(sys_getpid(), SIGRTMIN + 2);
	sys_kill(sys_getpid(), SIGRTMIN + 1);
	sys_kill(sys_getpid(), SIGRTMIN + 1);
	sig_unblock(SIGBIT(SIGRTMIN + 1) | SIGBIT(SIGRTMIN + 2));
	say("real-time: %d deliveries, order SIGRTMIN+%d +%d +%d\n", count, order[0] - SIGRTMIN, order[1] - SIGRTMIN, order[2] - SIGRTMIN);
	/* nesting: a handler's own signal is deferred, another one interrupts */
	count = 0;
	CHECK(sig_action(SIGUSR1, nested, 0, 0) == 0 && sig_action(SIGUSR2, nested, 0, 0) == 0);
	sys_kill(sys_getpid(), SIGUSR1);
	say("nested order:");
	for (int i = 0; i < count; i++) say(" %s", order[i] == 100 ? "end-of-USR1-handler" : signame(order[i]));
	say("\n");
	/* SA_RESETHAND: one-shot */
	count = 0;
	CHECK(sig_action(SIGUSR2, handler, SA_RESETHAND, 0) == 0);
	sys_kill(sys_getpid(), SIGUSR2);
	void *h;
	sig_get_handler(SIGUSR2, &h, NULL);
	say("SA_RESETHAND: ran %d, disposition now SIG_DFL: %s\n", count, yes(h == SIG_DFL));
	/* sigprocmask cannot block SIGKILL or SIGSTOP */
	sig_block(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP) | SIGBIT(SIGTERM));
	unsigned long m = sig_mask();
	say("mask after blocking KILL, STOP, TERM: KILL %s, STOP %s, TERM %s\n", yes(m & SIGBIT(SIGKILL)), yes(m & SIGBIT(SIGSTOP)), yes(m & SIGBIT(SIGTERM)));
	unsigned long set = 0;
	expect("sigprocmask with a bad how", sys_sigprocmask(7, &set, 0), EINVAL);
	expect("rt_sigprocmask with sigsetsize 4", SC4(__NR_rt_sigprocmask, SIG_BLOCK, &set, 0, 4), EINVAL);
	expect("sigaction(SIGSTOP)", sig_action(SIGSTOP, handler, 0, 0), EINVAL);
	expect("sigaction(0)", sig_action(0, handler, 0, 0), EINVAL);
	expect("sigaction(65)", sig_action(65, handler, 0, 0), EINVAL);
	/* an ignored signal is discarded, unless blocked: it may have a handler by the time it is unblocked (kernel/signal.c sig_ignored) */
	sig_set_ignored(SIGUSR1);
	sig_block(SIGBIT(SIGUSR1));
	sys_kill(sys_getpid(), SIGUSR1);
	sys_sigpending(&pend);
	say("an ignored but blocked signal stays pending: %s\n", yes(pend & SIGBIT(SIGUSR1)));
	sig_unblock(SIGBIT(SIGUSR1));
	sys_sigpending(&pend);
	say("unblocked, it is discarded: %s\n", yes(!(pend & SIGBIT(SIGUSR1))));
	/* SIGCHLD's default is to ignore: a child's exit does not kill us */
	long pid = sys_fork();
	if (pid == 0) sys_exit_group(0);
	report_child("child", wait_status(pid));
	return 0;
}
