/*
 * execve: a forked child runs exec_target with its own argv and envp; the
 * parent sees its exit code. Across exec, handled signals reset to SIG_DFL
 * while ignored ones and the mask stay (fs/exec.c flush_signal_handlers),
 * and O_CLOEXEC descriptors close. Then execve's failures.
 */
#include "rt.h"

int main(void) {
	const char *dir = getenv("PROGRAMS_DIR");
	if (!dir) {
		say("PROGRAMS_DIR is not set (the directory holding the suite's binaries)\n");
		return 2;
	}
	char path[512];
	strcpy2(path, dir, "/exec_target");

	long fd_keep = sys_open("/dev/null", O_RDONLY, 0);
	long fd_cloexec = sys_open("/dev/null", O_RDONLY | O_CLOEXEC, 0);
	CHECK(fd_keep == 3 && fd_cloexec == 4);
	long pid = sys_fork();
	if (pid == 0) {
		char *argv[] = {"exec_target", "one", "two words", "", "--exit=42", NULL};
		char *envp[] = {"A=1", "B=two words", "EMPTY=", NULL};
		sig_action(SIGUSR1, (sighandler_t)1234, 0, 0); /* never delivered: only reset by exec */
		sig_set_ignored(SIGUSR2);
		sig_block(SIGBIT(SIGTERM));
		long r = sys_execve(path, argv, envp);
		say("execve failed: %s\n", err(r));
		sys_exit_group(127);
	}
	int st = wait_status(pid);
	report_child("exec_target", st);
	CHECK(W_EXITED(st) && W_EXITSTATUS(st) == 42);

	/* an empty environment: envp's NULL comes right before the auxiliary vector */
	pid = sys_fork();
	if (pid == 0) {
		char *argv[] = {"exec_target", NULL};
		char *envp[] = {NULL};
		sys_execve(path, argv, envp);
		sys_exit_group(127);
	}
	report_child("exec_target with an empty environment", wait_status(pid));

	char *argv[] = {"x", NULL};
	char *envp[] = {NULL};
	expect("execve of a missing file", sys_execve("/tmp/tskern-exec_args-missing", argv, envp), ENOENT);
	expect("execve of a directory", sys_execve("/tmp", argv, envp), EACCES);
	char tpath[128];
	int fd = open_tmp("/tmp", "script", tpath);
	CHECK(sys_write(fd, "not an ELF file, no #!\n", 23) == 23);
	sys_close(fd);
	expect("execve of a file without execute permission", sys_execve(tpath, argv, envp), EACCES);
	fd = (int)sys_open(tpath, O_RDONLY, 0);
	CHECK(sys_fchmod(fd, 0700) == 0);
	sys_close(fd);
	expect("execve of an executable non-ELF file", sys_execve(tpath, argv, envp), ENOEXEC);
	CHECK(sys_unlink(tpath) == 0);
	expect("execve with a bad path pointer", sys_execve((char *)8, argv, envp), EFAULT);
	expect("execve with a bad argv pointer", sys_execve(path, (char **)8, envp), EFAULT);
	return 0;
}
