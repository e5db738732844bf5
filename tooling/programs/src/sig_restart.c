/*
 * A read blocked on an empty pipe, interrupted by SIGALRM from an interval
 * timer: with SA_RESTART the read resumes and returns the data that comes
 * later; without it, the read fails with EINTR (kernel/signal.c,
 * arch handle_signal's ERESTARTSYS handling).
 */
#include "rt.h"

static volatile int alarms;
static void on_alarm(int sig, siginfo_t *si, void *uc) {
	(void)sig, (void)si, (void)uc;
	alarms++;
}

static long blocked_read(unsigned long flags) {
	int p[2];
	CHECK(sys_pipe2(p, 0) == 0);
	CHECK(sig_action(SIGALRM, on_alarm, flags, 0) == 0);
	long pid = sys_fork();
	if (pid == 0) {
		sleep_ms(200); /* well after the 30 ms alarm */
		sys_write(p[1], "late", 4);
		sys_exit_group(0);
	}
	alarms = 0;
	CHECK(set_timer_ms(30) == 0);
	char buf[8];
	long r = sys_read(p[0], buf, sizeof buf);
	wait_status(pid);
	sys_close(p[0]), sys_close(p[1]);
	return r;
}

int main(void) {
	long r = blocked_read(SA_RESTART);
	say("with SA_RESTART: read returned %ld bytes after %d alarm(s)\n", r, alarms);
	r = blocked_read(0);
	say("without SA_RESTART: read %s after %d alarm(s)\n", err(r), alarms);
	/* nanosleep is never restarted by SA_RESTART: it reports EINTR (kernel/time/hrtimer.c) */
	CHECK(sig_action(SIGALRM, on_alarm, SA_RESTART, 0) == 0);
	CHECK(set_timer_ms(20) == 0);
	struct timespec ts = {2, 0}, rem = {0, 0};
	r = sys_nanosleep(&ts, &rem);
	say("nanosleep(2 s) with SA_RESTART and a 20 ms alarm: %s, remaining < requested: %s\n", err(r),
	    yes(rem.tv_sec < 2 && (rem.tv_sec > 0 || rem.tv_nsec > 0)));
	/* wait4 restarts under SA_RESTART */
	long pid = sys_fork();
	if (pid == 0) {
		sleep_ms(150);
		sys_exit_group(4);
	}
	alarms = 0;
	CHECK(set_timer_ms(20) == 0);
	int st;
	r = sys_wait4(pid, &st, 0);
	say("wait4 with SA_RESTART across %d alarm(s): %s\n", alarms, yes(r == pid));
	report_child("child", st);
	return 0;
}
