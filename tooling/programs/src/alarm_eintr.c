/*
 * "alarm" (setitimer ITIMER_REAL; riscv64 has no alarm syscall) interrupting
 * a read on an empty pipe: the handler runs, read fails with EINTR, nothing
 * was consumed; and the timer's remaining time reads back.
 */
#include "rt.h"

static volatile int alarms;
static void on_alarm(int sig, siginfo_t *si, void *uc) {
	(void)sig, (void)si, (void)uc;
	alarms++;
}

int main(void) {
	int p[2];
	CHECK(sys_pipe2(p, 0) == 0);
	CHECK(sig_action(SIGALRM, on_alarm, 0, 0) == 0);
	long t0 = now_ms();
	CHECK(set_timer_ms(50) == 0);
	char c;
	long r = sys_read(p[0], &c, 1);
	long dt = now_ms() - t0;
	say("read on an empty pipe: %s after %d alarm(s), waited at least 50 ms: %s\n", err(r), alarms, yes(dt >= 49));
	CHECK(sys_write(p[1], "k", 1) == 1);
	say("the pipe still delivers afterwards: %s\n", yes(sys_read(p[0], &c, 1) == 1 && c == 'k'));
	/* a pending timer's remaining time */
	struct itimerval it, old;
	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = 10;
	CHECK(sys_setitimer(ITIMER_REAL, &it, 0) == 0);
	memset(&it, 0, sizeof it);
	CHECK(sys_setitimer(ITIMER_REAL, &it, &old) == 0); /* disarm, reading the old value */
	say("a 10 s timer disarmed at once had between 9 and 10 s left: %s\n",
	    yes(old.it_value.tv_sec == 9 || (old.it_value.tv_sec == 10 && old.it_value.tv_usec == 0)));
	/* the default action of SIGALRM terminates */
	long pid = sys_fork();
	if (pid == 0) {
		sig_set_default(SIGALRM);
		set_timer_ms(10);
		for (;;) sys_read(p[0], &c, 1);
	}
	report_child("child with the default SIGALRM action", wait_status(pid));
	/* an interval timer fires repeatedly */
	alarms = 0;
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = 10000;
	it.it_interval.tv_usec = 10000;
	CHECK(sys_setitimer(ITIMER_REAL, &it, 0) == 0);
	while (alarms < 3) sys_read(p[0], &c, 1);
	memset(&it, 0, sizeof it);
	sys_setitimer(ITIMER_REAL, &it, 0);
	say("an interval timer interrupted 3 reads: %s\n", yes(alarms == 3));
	expect("setitimer with an unknown timer", sys_setitimer(7, &it, 0), EINVAL);
	return 0;
}
