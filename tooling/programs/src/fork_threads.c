/*
 * fork in a multithreaded process: the child has only the thread that
 * called fork (kernel/fork.c copies one task), with all the memory,
 * including what the other threads were writing.
 */
#include "rt.h"

static int stop;
static volatile long progress;

static int spinner(void *arg) {
	(void)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_SEQ_CST)) progress++;
	return 0;
}

static int count_tasks(void) {
	/* /proc/self/task has one entry per thread; count them with getdents64 */
	long fd = sys_open("/proc/self/task", O_RDONLY | O_DIRECTORY, 0);
	CHECK(fd >= 0);
	char buf[4096];
	int n = 0;
	long r;
	while ((r = SC3(__NR_getdents64, fd, buf, sizeof buf)) > 0) {
		for (long off = 0; off < r;) {
			unsigned short reclen = *(unsigned short *)(buf + off + 16);
			const char *name = buf + off + 19;
			if (name[0] != '.') n++;
			off += reclen;
		}
	}
	sys_close(fd);
	return n;
}

int main(void) {
	int tid[3];
	for (int i = 0; i < 3; i++) CHECK(thread_start(spinner, 0, &tid[i]) > 0);
	while (progress < 1000) sys_sched_yield();
	say("parent: %d threads\n", count_tasks());
	long pid = sys_fork();
	if (pid == 0) {
		long p1 = progress;
		sleep_ms(20);
		say("child: %d thread(s); the spinners' counter is frozen: %s; gettid is getpid: %s\n", count_tasks(), yes(progress == p1), yes(sys_gettid() == sys_getpid()));
		sys_exit_group(0);
	}
	report_child("child", wait_status(pid));
	__atomic_store_n(&stop, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < 3; i++) thread_join(&tid[i]);
	say("parent after joining: %d thread(s)\n", count_tasks());
	/* fork from a non-main thread: the child's only thread is that one, and it is the child's leader */
	return 0;
}
