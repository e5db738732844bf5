/* Helpers shared by the programs: children, /proc/self/maps, mincore, temporary files, time. */
#include "rt.h"

void *map_anon(size_t len, int prot) {
	long r = sys_mmap(0, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (MAP_FAILED_P(r)) fail_at("map_anon", 0, err(r));
	return (void *)r;
}

int wait_status(long pid) {
	int st = 0;
	long r;
	do r = sys_wait4(pid, &st, 0);
	while (r == -EINTR);
	if (r != pid) fail_at("wait_status", 0, err(r));
	return st;
}

static const char *const sig_names[] = {
	"0",       "SIGHUP",  "SIGINT",  "SIGQUIT", "SIGILL",  "SIGTRAP", "SIGABRT", "SIGBUS",
	"SIGFPE",  "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
	"SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG",
};

const char *signame(int sig) {
	if (sig >= 0 && sig < (int)(sizeof sig_names / sizeof sig_names[0])) return sig_names[sig];
	return sig >= SIGRTMIN ? "SIGRT" : "SIG?";
}

void report_child(const char *what, int st) {
	if (W_EXITED(st))
		say("%s: exit %d\n", what, W_EXITSTATUS(st));
	else if (W_SIGNALED(st)) /* the core-dump bit (0x80) depends on the host's core settings: left out */
		say("%s: signal %s\n", what, signame(W_TERMSIG(st)));
	else
		say("%s: status %x\n", what, st);
}

long read_all(const char *path, char *buf, size_t cap) {
	long fd = sys_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) return fd;
	size_t n = 0;
	for (;;) {
		long r = sys_read(fd, buf + n, cap - 1 - n);
		if (r < 0) {
			sys_close(fd);
			return r;
		}
		if (r == 0) break;
		n += (size_t)r;
		if (n == cap - 1) break;
	}
	buf[n] = 0;
	sys_close(fd);
	return (long)n;
}

static char maps_buf[65536];

int maps_count(void) {
	long n = read_all("/proc/self/maps", maps_buf, sizeof maps_buf);
	if (n < 0) fail_at("maps_count", 0, err(n));
	int lines = 0;
	for (long i = 0; i < n; i++) lines += maps_buf[i] == '\n';
	return lines;
}

static unsigned long hex(const char **p) {
	unsigned long v = 0;
	for (;; (*p)++) {
		char c = **p;
		if (c >= '0' && c <= '9') v = v * 16 + (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f') v = v * 16 + (unsigned long)(c - 'a' + 10);
		else return v;
	}
}

int maps_find(void *addr, char *line, size_t cap) {
	long n = read_all("/proc/self/maps", maps_buf, sizeof maps_buf);
	if (n < 0) fail_at("maps_find", 0, err(n));
	const char *p = maps_buf;
	while (*p) {
		const char *start = p;
		unsigned long lo = hex(&p);
		p++;
		unsigned long hi = hex(&p);
		while (*p && *p != '\n') p++;
		if ((unsigned long)addr >= lo && (unsigned long)addr < hi) {
			size_t len = (size_t)(p - start);
			if (len >= cap) len = cap - 1;
			memcpy(line, start, len);
			line[len] = 0;
			return 1;
		}
		if (*p) p++;
	}
	return 0;
}

int resident(void *addr, size_t pages) {
	u8 vec[256];
	if (pages > sizeof vec) fail_at("resident", 0, "too many pages");
	long r = sys_mincore(addr, pages * PAGE, vec);
	if (r < 0) return (int)r;
	int n = 0;
	for (size_t i = 0; i < pages; i++) n += vec[i] & 1;
	return n;
}

void tmp_path(char *out, const char *dir, const char *suffix) {
	strcpy2(out, dir, "/tskern-");
	strcpy2(out + strlen(out), g_prog, suffix && *suffix ? "-" : "");
	if (suffix) strcpy2(out + strlen(out), suffix, "");
}

int open_tmp(const char *dir, const char *suffix, char *path_out) {
	tmp_path(path_out, dir, suffix);
	long fd = sys_open(path_out, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) fail_at("open_tmp", 0, err(fd));
	return (int)fd;
}

void sleep_ms(long ms) {
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000}, rem;
	while (sys_nanosleep(&ts, &rem) == -EINTR) ts = rem;
}

long now_ms(void) {
	struct timespec ts;
	sys_clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
