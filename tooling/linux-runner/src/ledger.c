/* ledger.c — see ledger.h. */
#define _GNU_SOURCE
#include "ledger.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void ledger_note(const char *fmt, ...)
{
	const char *path = getenv("LINUX_RUNNER_LEDGER");
	if (!path || !*path)
		return;
	char line[4096 + 64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof line - 2)
		n = (int)(sizeof line - 2);
	line[n++] = '\n';
	/* One write of the whole line with O_APPEND: lines never interleave. */
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	ssize_t w = write(fd, line, (size_t)n);
	(void)w;
	close(fd);
}

/* The start time of pid (clock ticks since boot), or 0 if unknown. The comm
 * field may hold spaces and parentheses, so fields are counted after the
 * last ')'. */
static unsigned long long start_time(pid_t pid)
{
	char path[64], text[1024];
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	char *p = strrchr(text, ')');
	if (!p)
		return 0;
	/* After ')': field 3 (state) is the first; starttime is field 22. */
	for (int field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	return p ? strtoull(p + 1, NULL, 10) : 0;
}

void ledger_note_pid(pid_t pid)
{
	ledger_note("pid %ld %llu", (long)pid, start_time(pid));
}
