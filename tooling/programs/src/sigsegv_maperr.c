/* SIGSEGV on an unmapped address: SEGV_MAPERR; the handler maps the page (MAP_FIXED) and the load re-runs. */
#include "rt.h"

static long target;
static volatile int faults, code, addr_ok;

static void on_segv(int sig, siginfo_t *si, void *uc) {
	(void)sig, (void)uc;
	faults++;
	code = si->si_code;
	addr_ok = (long)si->f.addr == target + 8;
	long r = sys_mmap(target, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(r == target);
	((u8 *)target)[8] = 55;
}

int main(void) {
	target = (long)map_anon(PAGE, PROT_READ);
	CHECK(sys_munmap(target, PAGE) == 0);
	CHECK(sig_action(SIGSEGV, on_segv, 0, 0) == 0);
	u8 v = ((volatile u8 *)target)[8];
	say("faults %d, si_code %s, si_addr is the faulting byte: %s\n", faults,
	    code == SEGV_MAPERR ? "SEGV_MAPERR" : "other", yes(addr_ok));
	say("the load re-ran and read what the handler stored: %d\n", v);
	/* a fault inside a handler-less child kills it with SIGSEGV */
	CHECK(sys_munmap(target, PAGE) == 0);
	long pid = sys_fork();
	if (pid == 0) {
		sig_set_default(SIGSEGV);
		v = ((volatile u8 *)target)[8];
		sys_exit_group(0);
	}
	report_child("child without a handler", wait_status(pid));
	/* a blocked SIGSEGV caused by a fault is still fatal (kernel/signal.c force_sig_info_to_task) */
	pid = sys_fork();
	if (pid == 0) {
		sig_block(SIGBIT(SIGSEGV));
		v = ((volatile u8 *)target)[8];
		sys_exit_group(0);
	}
	report_child("child with SIGSEGV blocked", wait_status(pid));
	/* and so is an ignored one */
	pid = sys_fork();
	if (pid == 0) {
		sig_set_ignored(SIGSEGV);
		v = ((volatile u8 *)target)[8];
		sys_exit_group(0);
	}
	report_child("child ignoring SIGSEGV", wait_status(pid));
	return 0;
}
