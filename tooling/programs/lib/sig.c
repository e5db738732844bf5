/*
 * Signal dispositions. The kernel's struct sigaction is per architecture:
 * x86-64 has {handler, flags, restorer, mask} and requires SA_RESTORER (the
 * kernel pushes sa_restorer as the handler's return address and refuses a
 * frame without one: arch/x86/kernel/signal_64.c); riscv64 (asm-generic)
 * has {handler, flags, mask} and no SA_RESTORER: the kernel sets the
 * handler's ra to the vDSO's __vdso_rt_sigreturn (arch/riscv/kernel/signal.c).
 *
 * So that riscv64 programs do not depend on a vDSO, sig_action installs an
 * entry stub that calls the C handler and then makes rt_sigreturn itself,
 * with sp still at the signal frame, as the vDSO trampoline would.
 * sig_action_plain installs the C handler itself, so its return goes
 * through whatever the kernel put in ra (the vDSO trampoline on Linux).
 */
#include "rt.h"

#define SA_RESTORER 0x04000000UL

struct ksigaction {
	void *handler;
	unsigned long flags;
#if defined(__x86_64__)
	void (*restorer)(void);
#endif
	unsigned long mask;
};

sighandler_t g_handlers[65];

#if defined(__x86_64__)
void sig_restorer(void);
__asm__(".text\n.global sig_restorer\n.type sig_restorer,@function\nsig_restorer:\n"
	"\tmov $" "15" ", %eax\n\tsyscall\n\thlt\n");
#else
void sig_entry(int, siginfo_t *, void *);
__asm__(".text\n.global sig_entry\n.type sig_entry,@function\nsig_entry:\n"
	"\tlla t0, g_handlers\n\tslli t1, a0, 3\n\tadd t0, t0, t1\n\tld t0, 0(t0)\n"
	"\tjalr t0\n\tli a7, 139\n\tecall\n\tunimp\n");
#endif

static long install(int sig, void *h, unsigned long flags, unsigned long mask) {
	struct ksigaction ka;
	memset(&ka, 0, sizeof ka);
	ka.handler = h;
	ka.flags = flags;
	ka.mask = mask;
#if defined(__x86_64__)
	if (h != SIG_DFL && h != SIG_IGN) {
		ka.flags |= SA_RESTORER;
		ka.restorer = sig_restorer;
	}
#endif
	return SC4(__NR_rt_sigaction, sig, &ka, 0, 8);
}

long sig_action(int sig, sighandler_t handler, unsigned long flags, unsigned long mask) {
	if (sig > 0 && sig < 65) g_handlers[sig] = handler;
#if defined(__riscv)
	return install(sig, (void *)sig_entry, flags | SA_SIGINFO, mask);
#else
	return install(sig, (void *)handler, flags | SA_SIGINFO, mask);
#endif
}

long sig_action_plain(int sig, sighandler_t handler, unsigned long flags) {
	return install(sig, (void *)handler, flags | SA_SIGINFO, 0);
}

long sig_set_ignored(int sig) { return install(sig, SIG_IGN, 0, 0); }
long sig_set_default(int sig) { return install(sig, SIG_DFL, 0, 0); }

long sig_get_handler(int sig, void **handler, unsigned long *flags) {
	struct ksigaction ka;
	long r = SC4(__NR_rt_sigaction, sig, 0, &ka, 8);
	if (r < 0) return r;
#if defined(__riscv)
	if (ka.handler == (void *)sig_entry && sig > 0 && sig < 65) ka.handler = (void *)g_handlers[sig];
#endif
	*handler = ka.handler;
	if (flags) *flags = ka.flags & ~SA_RESTORER;
	return 0;
}

long sig_block(unsigned long set) { return sys_sigprocmask(SIG_BLOCK, &set, 0); }
long sig_unblock(unsigned long set) { return sys_sigprocmask(SIG_UNBLOCK, &set, 0); }

unsigned long sig_mask(void) {
	unsigned long old = 0;
	sys_sigprocmask(SIG_BLOCK, 0, &old);
	return old;
}

long set_timer_ms(long ms) {
	struct itimerval it;
	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = ms / 1000;
	it.it_value.tv_usec = (ms % 1000) * 1000;
	return sys_setitimer(ITIMER_REAL, &it, 0);
}
