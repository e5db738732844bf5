/*
 * A SIGSEGV handler that returns past the fault without siglongjmp: the
 * handler mprotects the page writable and returns, and the store re-runs
 * and succeeds. siginfo says SEGV_ACCERR and the faulting address.
 */
#include "rt.h"

static u8 *page;
static volatile int faults, code, addr_ok, signo;

static void on_segv(int sig, siginfo_t *si, void *uc) {
	(void)uc;
	faults++;
	signo = sig;
	code = si->si_code;
	addr_ok = si->f.addr == page + 123;
	CHECK(sys_mprotect(page, PAGE, PROT_READ | PROT_WRITE) == 0);
}

int main(void) {
	page = map_anon(PAGE, PROT_READ);
	CHECK(sig_action(SIGSEGV, on_segv, 0, 0) == 0);
	((volatile u8 *)page)[123] = 77;
	say("faults %d, signal %s, si_code %s, si_addr is the faulting byte: %s\n", faults, signame(signo),
	    code == SEGV_ACCERR ? "SEGV_ACCERR" : "other", yes(addr_ok));
	say("the store completed after the handler: %d\n", page[123]);
	/* a second store does not fault any more */
	((volatile u8 *)page)[124] = 78;
	say("faults after a second store: %d\n", faults);
	/* PROT_NONE: a load faults too */
	CHECK(sys_mprotect(page, PAGE, PROT_NONE) == 0);
	u8 v = ((volatile u8 *)page)[123];
	say("a load from PROT_NONE: faults %d, si_code %s, value after %d\n", faults,
	    code == SEGV_ACCERR ? "SEGV_ACCERR" : "other", v);
	/* the mask during the handler holds SIGSEGV; afterwards it is restored */
	say("SIGSEGV blocked after the handler returned: %s\n", yes(sig_mask() & SIGBIT(SIGSEGV)));
	return 0;
}
