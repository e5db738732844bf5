/*
 * posix_spawn's way of starting a program: clone(CLONE_VM|CLONE_VFORK|SIGCHLD)
 * on a separate stack. The child shares the parent's memory until it execs
 * or exits, and the parent is suspended until then (kernel/fork.c
 * wait_for_vfork_done).
 */
#include "rt.h"

static volatile int shared_word;
static volatile int parent_ran_meanwhile;
static char exec_path[512];

static int child_store(void *arg) {
	(void)arg;
	shared_word = 42;        /* the parent's memory: CLONE_VM */
	sleep_ms(30);            /* the parent stays suspended meanwhile */
	shared_word = 43;
	return 9;
}

static int child_exec(void *arg) {
	(void)arg;
	char *argv[] = {"exec_target", "--exit=3", NULL};
	char *envp[] = {"FROM=vfork", NULL};
	shared_word = 1;
	sys_execve(exec_path, argv, envp);
	return 127;
}

int main(void) {
	const char *dir = getenv("PROGRAMS_DIR");
	CHECK(dir != NULL);
	strcpy2(exec_path, dir, "/exec_target");
	u8 *stack = map_anon(64 * 1024, PROT_READ | PROT_WRITE);
	unsigned long flags = CLONE_VM | 0x4000 /* CLONE_VFORK */ | SIGCHLD;
	long pid = thread_spawn(child_store, 0, stack + 64 * 1024, flags, NULL);
	CHECK(pid > 0);
	parent_ran_meanwhile = shared_word != 43;
	say("the parent resumed after the child exited: %s; it sees the child's store: %d\n", yes(!parent_ran_meanwhile), shared_word);
	report_child("vfork child", wait_status(pid));
	shared_word = 0;
	pid = thread_spawn(child_exec, 0, stack + 64 * 1024, flags, NULL);
	CHECK(pid > 0);
	int seen = shared_word; /* read as soon as the parent resumes (the child has exec'd) */
	int st = wait_status(pid); /* print only after exec_target has finished printing */
	say("the parent resumed after the child's execve; the child's store before it: %d\n", seen);
	report_child("exec_target started by vfork", st);
	CHECK(W_EXITED(st) && W_EXITSTATUS(st) == 3);
	return 0;
}
