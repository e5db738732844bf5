/* main.c — linux-runner: plays .scn scenario files on the host Linux kernel
 * and prints their transcripts (the golden files tskern is compared with).
 *
 *   linux-runner [--check] FILE...
 *
 * The same binary is also the program a scenario process execs into
 * ("--worker FD"); see worker.c. */
#define _GNU_SOURCE
#include "controller.h"
#include "worker.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int usage(void)
{
	fputs("usage: linux-runner [--check] FILE...\n"
	      "Plays each .scn scenario on this Linux kernel and prints its transcript.\n"
	      "  --check  compare results with inline '=> EXPECTED' expectations\n"
	      "Exit status: 0 ok, 1 an expectation differed (--check), 2 scenario error.\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--worker") == 0)
		return worker_resume(argv[2]);

	bool check = false, options = true;
	int first = 0, nfiles = 0;
	for (int i = 1; i < argc; i++) {
		if (options && strcmp(argv[i], "--") == 0) {
			options = false;
		} else if (options && strcmp(argv[i], "--check") == 0) {
			check = true;
		} else if (options && (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)) {
			usage();
			return 0;
		} else if (options && argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "linux-runner: unknown option %s\n", argv[i]);
			return usage();
		} else {
			argv[first + nfiles++] = argv[i]; /* compact the file list */
		}
	}
	if (nfiles == 0)
		return usage();

	controller_init();
	int worst = 0;
	for (int i = 0; i < nfiles; i++) {
		const char *path = argv[first + i];
		if (nfiles > 1) {
			const char *base = strrchr(path, '/');
			printf("== %s\n", base ? base + 1 : path);
			fflush(stdout);
		}
		int status = controller_run_file(path, check);
		if (status > worst)
			worst = status;
		int sig = controller_interrupted();
		if (sig) {
			/* Cleaned up; now die of the signal as the caller expects. */
			signal(sig, SIG_DFL);
			raise(sig);
			return 128 + sig;
		}
	}
	return worst;
}
