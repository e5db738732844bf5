/* sigaltstack: an SA_ONSTACK handler runs on the alternate stack, even after a stack overflow (kernel/signal.c). */
#include "rt.h"

struct stack_t_ {
	void *sp;
	int flags;
	size_t size;
};
#define SS_ONSTACK 1
#define SS_DISABLE 2

static u8 *alt;
static volatile int on_alt, handled, nested_flag;

static void on_usr(int sig, siginfo_t *si, void *uc) {
	(void)sig, (void)si, (void)uc;
	int local;
	on_alt = (u8 *)&local >= alt && (u8 *)&local < alt + 16 * PAGE;
	struct stack_t_ cur;
	sys_sigaltstack(0, &cur);
	nested_flag = cur.flags;
	handled++;
}

static void on_segv(int sig, siginfo_t *si, void *uc) {
	(void)sig, (void)si, (void)uc;
	int local;
	on_alt = (u8 *)&local >= alt && (u8 *)&local < alt + 16 * PAGE;
	sys_exit_group(on_alt ? 7 : 8);
}

static volatile int depth_limit = 1 << 30; /* never reached: the stack limit comes first */
static int recurse(volatile u8 *p, int depth) {
	volatile u8 buf[4096];
	buf[0] = p ? p[0] : 0;
	if (depth >= depth_limit) return 0;
	return recurse(buf, depth + 1) + buf[1];
}

int main(void) {
	struct stack_t_ ss, old;
	alt = map_anon(16 * PAGE, PROT_READ | PROT_WRITE);
	CHECK(sys_sigaltstack(0, &old) == 0);
	say("initially disabled: %s\n", yes(old.flags == SS_DISABLE));
	ss.sp = alt, ss.size = 16 * PAGE, ss.flags = 0;
	expect("sigaltstack(64 KiB)", sys_sigaltstack(&ss, 0), 0);
	CHECK(sig_action(SIGUSR1, on_usr, SA_ONSTACK, 0) == 0);
	sys_kill(sys_getpid(), SIGUSR1);
	say("SA_ONSTACK handler ran on the alternate stack: %s; inside it ss_flags was SS_ONSTACK: %s\n", yes(on_alt), yes(nested_flag == SS_ONSTACK));
	CHECK(sig_action(SIGUSR2, on_usr, 0, 0) == 0);
	sys_kill(sys_getpid(), SIGUSR2);
	say("a handler without SA_ONSTACK stays on the normal stack: %s\n", yes(!on_alt));
	ss.size = 100;
	expect("a stack smaller than MINSIGSTKSZ", sys_sigaltstack(&ss, 0), ENOMEM);
	ss.size = 16 * PAGE, ss.flags = 99;
	expect("unknown flags", sys_sigaltstack(&ss, 0), EINVAL);
	/* a stack overflow: the SIGSEGV handler can only run on the alternate stack */
	long pid = sys_fork();
	if (pid == 0) {
		struct rlimit64 lim = {1 << 20, 1 << 20};
		sys_prlimit(0, RLIMIT_STACK, &lim, 0);
		CHECK(sig_action(SIGSEGV, on_segv, SA_ONSTACK, 0) == 0);
		recurse(0, 0);
		sys_exit_group(1);
	}
	report_child("child overflowing its stack, handler on the alternate stack (exit 7)", wait_status(pid));
	ss.flags = SS_DISABLE;
	expect("disable", sys_sigaltstack(&ss, 0), 0);
	return 0;
}
