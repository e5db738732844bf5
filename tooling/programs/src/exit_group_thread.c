/* exit_group from a thread ends the whole process with its code, while the main thread is blocked. */
#include "rt.h"

static int pipefd[2];

static int quitter(void *arg) {
	(void)arg;
	sleep_ms(20);
	sys_exit_group(17);
}

static int exiter(void *arg) {
	(void)arg;
	return 5; /* exit(5) of one thread: the process goes on */
}

int main(void) {
	long pid = sys_fork();
	if (pid == 0) {
		int tid;
		CHECK(sys_pipe2(pipefd, 0) == 0);
		CHECK(thread_start(exiter, 0, &tid) > 0);
		thread_join(&tid);
		say("child: a thread's exit left the process running\n");
		CHECK(thread_start(quitter, 0, &tid) > 0);
		char c;
		sys_read(pipefd[0], &c, 1); /* blocks forever: only the other thread's exit_group ends it */
		say("child: read returned (unexpected)\n");
		sys_exit_group(1);
	}
	report_child("child whose thread called exit_group(17)", wait_status(pid));
	/* the main thread exiting alone (exit, not exit_group) leaves the other thread running */
	pid = sys_fork();
	if (pid == 0) {
		int tid;
		CHECK(thread_start(quitter, 0, &tid) > 0);
		sys_exit_thread(3);
	}
	report_child("child whose main thread called exit(3) before a thread's exit_group(17)", wait_status(pid));
	return 0;
}
