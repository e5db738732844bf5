/*
 * Output: a small printf (%d %u %x %s %c, with an optional l, and %%) that
 * formats one call into a buffer and writes it with a single write(2), so
 * a parent's and a child's lines never interleave mid-line.
 */
#include "rt.h"

struct sink {
	char buf[1024];
	size_t n;
};

static void put(struct sink *s, char c) {
	if (s->n < sizeof s->buf) s->buf[s->n++] = c;
}

static void put_u(struct sink *s, unsigned long v, unsigned base) {
	char tmp[24];
	int i = 0;
	do {
		tmp[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (i) put(s, tmp[--i]);
}

void vsay_to(int fd, const char *fmt, va_list ap) {
	struct sink s;
	s.n = 0;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			put(&s, *p);
			continue;
		}
		p++;
		int lng = 0;
		if (*p == 'l') lng = 1, p++;
		switch (*p) {
		case 'd': {
			long v = lng ? va_arg(ap, long) : va_arg(ap, int);
			if (v < 0) put(&s, '-'), v = -v;
			put_u(&s, (unsigned long)v, 10);
			break;
		}
		case 'u':
			put_u(&s, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10);
			break;
		case 'x':
			put_u(&s, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str) str = "(null)";
			while (*str) put(&s, *str++);
			break;
		}
		case 'c':
			put(&s, (char)va_arg(ap, int));
			break;
		case '%':
			put(&s, '%');
			break;
		default:
			put(&s, '?');
		}
	}
	size_t off = 0;
	while (off < s.n) {
		long r = sys_write(fd, s.buf + off, s.n - off);
		if (r == -EINTR) continue;
		if (r <= 0) break;
		off += (size_t)r;
	}
}

void say(const char *fmt, ...) {
	va_list ap;
	va_start(ap, fmt);
	vsay_to(1, fmt, ap);
	va_end(ap);
}

void fail_at(const char *file, int line, const char *what) {
	say("FAIL %s:%d: %s\n", file, line, what);
	sys_exit_group(1);
}

static const struct {
	int no;
	const char *name;
} names[] = {
	{EPERM, "EPERM"},   {ENOENT, "ENOENT"},   {ESRCH, "ESRCH"},       {EINTR, "EINTR"},
	{E2BIG, "E2BIG"},   {ENOEXEC, "ENOEXEC"}, {EBADF, "EBADF"},       {ECHILD, "ECHILD"},
	{EAGAIN, "EAGAIN"}, {ENOMEM, "ENOMEM"},   {EACCES, "EACCES"},     {EFAULT, "EFAULT"},
	{EBUSY, "EBUSY"},   {EEXIST, "EEXIST"},   {ENODEV, "ENODEV"},     {ENOTDIR, "ENOTDIR"},
	{EISDIR, "EISDIR"}, {EINVAL, "EINVAL"},   {EMFILE, "EMFILE"},     {EFBIG, "EFBIG"},
	{ESPIPE, "ESPIPE"}, {EPIPE, "EPIPE"},     {ERANGE, "ERANGE"},     {EDEADLK, "EDEADLK"},
	{ENOSYS, "ENOSYS"}, {ETIMEDOUT, "ETIMEDOUT"}, {EOPNOTSUPP, "EOPNOTSUPP"}, {EOVERFLOW, "EOVERFLOW"},
};

const char *err(long r) {
	if (r >= 0) return "ok";
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].no == -r) return names[i].name;
	static char other[24];
	struct sink s;
	s.n = 0;
	put(&s, 'E');
	put_u(&s, (unsigned long)-r, 10);
	memcpy(other, s.buf, s.n);
	other[s.n] = 0;
	return other;
}

const char *yes(long b) { return b ? "yes" : "no"; }

void expect(const char *what, long r, int want_errno) {
	say("%s: %s\n", what, err(r));
	if (want_errno == 0 ? r < 0 : r != -want_errno) fail_at("expect", 0, what);
}
