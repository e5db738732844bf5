/*
 * Threads from a raw clone(CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|
 * CLONE_THREAD|CLONE_SYSVSEM|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID):
 * they share memory and descriptors, have the process's pid and their own
 * tids, and are joined on the futex the kernel clears and wakes at their
 * exit (kernel/fork.c mm_release).
 */
#include "rt.h"

#define N 4
#define LOOPS 20000

static int counter;
static volatile long pids[N];
static volatile long tids[N];
static int fds[N];

static int worker(void *arg) {
	long i = (long)arg;
	pids[i] = sys_getpid();
	tids[i] = sys_gettid();
	for (int k = 0; k < LOOPS; k++) __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
	fds[i] = (int)sys_dup(1); /* a descriptor opened by a thread is the process's */
	return 0;
}

int main(void) {
	int tid[N];
	for (long i = 0; i < N; i++) {
		long r = thread_start(worker, (void *)i, &tid[i]);
		CHECK(r > 0);
		CHECK(tid[i] == r || tid[i] == 0); /* CLONE_PARENT_SETTID stored it (0 if it already exited) */
	}
	for (int i = 0; i < N; i++) thread_join(&tid[i]);
	say("counter after %d threads x %d atomic increments: %d\n", N, LOOPS, counter);
	long me = sys_getpid();
	int same_pid = 1, own_tid = 1;
	for (int i = 0; i < N; i++) {
		same_pid &= pids[i] == me;
		own_tid &= tids[i] != me;
		for (int j = 0; j < i; j++) own_tid &= tids[i] != tids[j];
	}
	say("every thread's getpid() is the process's: %s\n", yes(same_pid));
	say("every thread has its own gettid(): %s\n", yes(own_tid));
	say("the main thread's gettid() is the pid: %s\n", yes(sys_gettid() == me));
	int open = 0;
	for (int i = 0; i < N; i++) open += sys_fcntl(fds[i], F_GETFD, 0) >= 0;
	say("descriptors the threads opened are open here: %d of %d\n", open, N);
	/* a thread's exit does not end the process; exit_group from a thread does (see exit_group_thread) */
	/* signals sent to the process can be taken by any thread; tgkill aims at one */
	expect("tgkill of an exited thread", sys_tgkill(me, tids[0], 0), ESRCH);
	/* a thread runs in the parent's address space: its mmap is visible here */
	return 0;
}
