/* nanosleep and the clocks: it sleeps at least what was asked, rejects bad times, and reports the rest on EINTR. */
#include "rt.h"

static void on_usr(int sig, siginfo_t *si, void *uc) { (void)sig, (void)si, (void)uc; }

int main(void) {
	struct timespec a, b, req = {0, 30 * 1000000};
	CHECK(sys_clock_gettime(CLOCK_MONOTONIC, &a) == 0);
	expect("nanosleep(30 ms)", sys_nanosleep(&req, 0), 0);
	CHECK(sys_clock_gettime(CLOCK_MONOTONIC, &b) == 0);
	long ns = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
	say("CLOCK_MONOTONIC advanced at least 30 ms: %s\n", yes(ns >= 30 * 1000000L));
	struct timespec bad = {0, 1000000000};
	expect("tv_nsec = 1e9", sys_nanosleep(&bad, 0), EINVAL);
	bad.tv_sec = -1, bad.tv_nsec = 0;
	expect("tv_sec = -1", sys_nanosleep(&bad, 0), EINVAL);
	struct timespec zero = {0, 0};
	expect("a zero sleep", sys_nanosleep(&zero, 0), 0);
	expect("a bad request pointer", sys_nanosleep((void *)8, 0), EFAULT);
	/* interrupted by a signal from a child: EINTR and the remaining time */
	CHECK(sig_action(SIGUSR1, on_usr, 0, 0) == 0);
	long parent = sys_getpid();
	long pid = sys_fork();
	if (pid == 0) {
		sleep_ms(30);
		sys_kill(parent, SIGUSR1);
		sys_exit_group(0);
	}
	struct timespec longreq = {5, 0}, rem = {0, 0};
	long r = sys_nanosleep(&longreq, &rem);
	say("nanosleep(5 s) interrupted: %s, rem between 4 and 5 s: %s\n", err(r), yes(rem.tv_sec == 4 || (rem.tv_sec == 5 && rem.tv_nsec == 0)));
	wait_status(pid);
	/* the clocks */
	struct timespec rt;
	expect("clock_gettime(CLOCK_REALTIME)", sys_clock_gettime(CLOCK_REALTIME, &rt), 0);
	say("CLOCK_REALTIME is after 2020: %s\n", yes(rt.tv_sec > 1577836800L));
	expect("clock_gettime(an unknown clock)", sys_clock_gettime(99, &rt), EINVAL);
	expect("clock_gettime with a bad pointer", sys_clock_gettime(CLOCK_MONOTONIC, (void *)8), EFAULT);
	return 0;
}
