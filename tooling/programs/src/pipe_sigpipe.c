/* Writing to a pipe with no reader: SIGPIPE kills by default; ignored or caught, write fails with EPIPE. */
#include "rt.h"

static volatile int caught;
static void on_pipe(int sig, siginfo_t *si, void *uc) {
	(void)sig, (void)uc;
	caught = si->si_signo;
}

int main(void) {
	int p[2];
	CHECK(sys_pipe2(p, 0) == 0);
	sys_close(p[0]);
	long pid = sys_fork();
	if (pid == 0) {
		sys_write(p[1], "x", 1);
		sys_exit_group(0);
	}
	report_child("child writing with the default SIGPIPE action", wait_status(pid));
	CHECK(sig_set_ignored(SIGPIPE) == 0);
	expect("write with SIGPIPE ignored", sys_write(p[1], "x", 1), EPIPE);
	CHECK(sig_action(SIGPIPE, on_pipe, 0, 0) == 0);
	expect("write with a SIGPIPE handler", sys_write(p[1], "x", 1), EPIPE);
	say("handler saw %s\n", signame(caught));
	/* blocked: the signal stays pending and write returns EPIPE */
	caught = 0;
	CHECK(sig_block(SIGBIT(SIGPIPE)) == 0);
	expect("write with SIGPIPE blocked", sys_write(p[1], "x", 1), EPIPE);
	unsigned long pending = 0;
	CHECK(sys_sigpending(&pending) == 0);
	say("SIGPIPE pending: %s, handler ran: %s\n", yes(pending & SIGBIT(SIGPIPE)), yes(caught));
	CHECK(sig_unblock(SIGBIT(SIGPIPE)) == 0);
	say("after unblocking the handler ran: %s\n", yes(caught == SIGPIPE));
	/* the reader closing while a writer is blocked wakes it with EPIPE */
	int q[2];
	CHECK(sys_pipe2(q, 0) == 0);
	pid = sys_fork();
	if (pid == 0) {
		sig_set_ignored(SIGPIPE);
		sys_close(q[0]);
		char big[4096];
		memset(big, 1, sizeof big);
		long r;
		while ((r = sys_write(q[1], big, sizeof big)) > 0) {}
		sys_exit_group(r == -EPIPE ? 0 : 1);
	}
	sys_close(q[1]);
	sleep_ms(50);
	sys_close(q[0]);
	report_child("writer blocked on a full pipe when the reader closed", wait_status(pid));
	return 0;
}
