/*
 * The program exec_args runs through execve (run alone it reports its own
 * start the same way). It prints its argv and envp (PROGRAMS_DIR's value
 * hidden: it names a host directory), what the auxiliary vector says of it,
 * which descriptors 3..9 are open, the dispositions and mask it inherited,
 * and exits with the code given as "--exit=N" (0 without one).
 */
#include "rt.h"

extern char _start[];

static int code_of(const char *a) {
	int n = 0;
	for (const char *p = a + 7; *p >= '0' && *p <= '9'; p++) n = n * 10 + (*p - '0');
	return n;
}

int main(int argc, char **argv, char **envp) {
	int code = 0;
	say("exec_target: argc %d\n", argc);
	for (int i = 0; i < argc; i++) {
		say("  argv[%d] = \"%s\"\n", i, argv[i]);
		if (strncmp(argv[i], "--exit=", 7) == 0) code = code_of(argv[i]);
	}
	say("  argv[argc] is NULL: %s\n", yes(argv[argc] == NULL));
	int n = 0;
	for (char **e = envp; *e; e++, n++) {
		if (strncmp(*e, "PROGRAMS_DIR=", 13) == 0) say("  envp[%d] = \"PROGRAMS_DIR=(a directory)\"\n", n);
		else say("  envp[%d] = \"%s\"\n", n, *e);
	}
	say("  envc %d\n", n);
	/* the auxiliary vector follows envp's NULL (fs/binfmt_elf.c create_elf_tables) */
	say("  AT_PAGESZ %lu\n", getauxval(AT_PAGESZ));
	say("  AT_ENTRY is _start: %s\n", yes(getauxval(AT_ENTRY) == (unsigned long)_start));
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	size_t fl = execfn ? strlen(execfn) : 0;
	say("  AT_EXECFN ends in /exec_target: %s\n",
	    yes(fl >= 12 && strcmp(execfn + fl - 12, "/exec_target") == 0));
	say("  AT_SECURE %lu\n", getauxval(AT_SECURE));
	say("  AT_UID/AT_EUID/AT_GID/AT_EGID match the ids: %s\n",
	    yes(getauxval(AT_UID) == (unsigned long)sys_getuid() && getauxval(AT_EUID) == (unsigned long)sys_geteuid() &&
		getauxval(AT_GID) == (unsigned long)sys_getgid() && getauxval(AT_EGID) == (unsigned long)sys_getegid()));
	say("  open descriptors among 3..9:");
	for (int fd = 3; fd <= 9; fd++)
		if (sys_fcntl(fd, F_GETFD, 0) >= 0) say(" %d", fd);
	say("\n");
	void *h;
	const char *names[] = {"SIG_DFL", "SIG_IGN"};
	for (int sig = SIGUSR1; sig <= SIGUSR2; sig += 2) {
		CHECK(sig_get_handler(sig, &h, NULL) == 0);
		say("  %s disposition: %s\n", signame(sig), (unsigned long)h <= 1 ? names[(unsigned long)h] : "a handler");
	}
	unsigned long m = sig_mask();
	say("  blocked: SIGUSR1 %s, SIGTERM %s\n", yes(m & SIGBIT(SIGUSR1)), yes(m & SIGBIT(SIGTERM)));
	return code;
}
