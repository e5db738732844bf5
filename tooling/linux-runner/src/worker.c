/* worker.c — one scenario process. Every operation is the real system call
 * (or glibc call, for shm_open/shm_unlink) made by this process, so Linux
 * decides every result. Memory accesses run under a SIGSEGV/SIGBUS handler
 * that jumps back out, so a fault is a result and the process lives on. */
#define _GNU_SOURCE
#include "worker.h"
#include "format.h"
#include "parser.h"
#include "proto.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <unistd.h>

extern char **environ;

static int g_chan;
static uint64_t g_page;

/* ---- fault catching ---------------------------------------------------- */

static sigjmp_buf g_fault_env;
static volatile sig_atomic_t g_fault_armed;
static volatile sig_atomic_t g_fault_sig;

static void on_fault(int sig)
{
	if (!g_fault_armed) {
		/* A fault in the runner's own code: die of it for real (the
		 * faulting instruction runs again under the default action). */
		signal(sig, SIG_DFL);
		return;
	}
	g_fault_armed = 0;
	g_fault_sig = sig;
	siglongjmp(g_fault_env, 1);
}

/* Applies fn to [addr, addr+len) one page-bounded chunk at a time. Every
 * byte of a page has the same accessibility, so a chunk either completes or
 * faults at its first access: a fault part way leaves exactly the earlier
 * bytes done, as a byte-by-byte copy would. Returns 0 or the signal. */
typedef void (*chunk_fn)(unsigned char *p, size_t n, void *ctx);

static int guarded(uint64_t addr, uint64_t len, chunk_fn fn, void *ctx)
{
	volatile uint64_t p = addr, left = len;
	if (sigsetjmp(g_fault_env, 1) != 0)
		return g_fault_sig;
	g_fault_armed = 1;
	while (left) {
		uint64_t n = g_page - (p & (g_page - 1));
		if (n > left)
			n = left;
		fn((unsigned char *)(uintptr_t)p, (size_t)n, ctx);
		p += n;
		left -= n;
	}
	g_fault_armed = 0;
	return 0;
}

/* The chunk functions touch whatever address the scenario named, NULL
 * included: the fault inside memcpy/memset is the intended result (so
 * UBSan's "null pointer passed" notes for those lines are expected). They
 * are out-of-line library calls on a variable length, so the accesses do
 * happen. */
struct copy_ctx {
	unsigned char *buf; /* poke: source; peek: destination */
	size_t done;
	unsigned char byte; /* fill */
	uint32_t hash;      /* sum */
};

static void chunk_poke(unsigned char *p, size_t n, void *v)
{
	struct copy_ctx *c = v;
	memcpy(p, c->buf + c->done, n);
	c->done += n;
}

static void chunk_peek(unsigned char *p, size_t n, void *v)
{
	struct copy_ctx *c = v;
	memcpy(c->buf + c->done, p, n);
	c->done += n;
}

static void chunk_fill(unsigned char *p, size_t n, void *v)
{
	memset(p, ((struct copy_ctx *)v)->byte, n);
}

static void chunk_sum(unsigned char *p, size_t n, void *v)
{
	struct copy_ctx *c = v;
	uint32_t h = c->hash;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x01000193u; /* FNV-1a, 32 bits */
	}
	c->hash = h;
}

/* ---- replies ----------------------------------------------------------- */

static void reply(struct wire_resp *rs, const void *data, size_t dlen, int pass_fd)
{
	rs->len = dlen;
	if (proto_send(g_chan, rs, sizeof *rs, data, dlen, pass_fd) < 0)
		_exit(0); /* the controller is gone: nothing left to do */
}

static void reply_num(long rv, int err)
{
	struct wire_resp rs = {0};
	if (rv < 0) {
		rs.kind = RESP_ERRNO;
		rs.code = err;
	} else {
		rs.kind = RESP_OK;
		rs.num = rv;
	}
	reply(&rs, NULL, 0, -1);
}

static void reply_fail(const char *why)
{
	struct wire_resp rs = {.kind = RESP_FAIL};
	reply(&rs, why, strlen(why), -1);
}

static void reply_signal(int sig)
{
	struct wire_resp rs = {.kind = RESP_SIGNAL, .code = sig};
	reply(&rs, NULL, 0, -1);
}

static void reply_bytes(const void *p, size_t n)
{
	struct wire_resp rs = {.kind = RESP_OK, .num = (int64_t)n};
	reply(&rs, p, n, -1);
}

/* A buffer for LEN bytes the scenario asked for. Address space reserved
 * without commitment, so a large LEN costs only the pages really used; NULL
 * when even that fails (the caller decides what a missing buffer means). */
static void *big_alloc(uint64_t n)
{
	if (n == 0)
		n = 1;
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void big_free(void *p, uint64_t n)
{
	if (p)
		munmap(p, n ? n : 1);
}

/* ---- operations -------------------------------------------------------- */

/* read/pread into a buffer of the requested size. When no buffer that large
 * can be reserved, the kernel gets NULL: it still reports the argument errors
 * it checks first (EBADF, EINVAL, EFAULT for a length no buffer could have). */
static void op_read(const struct wire_req *rq, int positional)
{
	int fd = (int)rq->a[0];
	uint64_t len = positional ? rq->a[2] : rq->a[1];
	unsigned char *buf = big_alloc(len);
	ssize_t r = positional ? pread(fd, buf, len, (off_t)rq->a[1]) : read(fd, buf, len);
	int e = errno;
	if (r < 0)
		reply_num(-1, e);
	else
		reply_bytes(buf, (size_t)r);
	big_free(buf, len);
}

static void op_mincore(const struct wire_req *rq)
{
	uint64_t len = rq->a[1];
	uint64_t pages = len / g_page + (len % g_page != 0);
	unsigned char *vec = big_alloc(pages);
	long r = syscall(SYS_mincore, rq->a[0], len, vec);
	int e = errno;
	if (r < 0 && !vec && e == EFAULT)
		reply_fail("mincore: LEN too large for the runner's result vector");
	else if (r < 0)
		reply_num(-1, e);
	else
		reply_bytes(vec, pages);
	big_free(vec, pages);
}

static void op_access(const struct wire_req *rq, const struct buf *in)
{
	struct copy_ctx c = {0};
	uint64_t addr = rq->a[0];
	int sig = 0;
	switch (rq->op) {
	case OP_POKE:
		c.buf = (unsigned char *)in->p;
		sig = guarded(addr, in->len, chunk_poke, &c);
		break;
	case OP_FILL:
		c.byte = (unsigned char)rq->a[2];
		sig = guarded(addr, rq->a[1], chunk_fill, &c);
		break;
	case OP_SUM:
		c.hash = 0x811c9dc5u;
		sig = guarded(addr, rq->a[1], chunk_sum, &c);
		break;
	case OP_PEEK:
		c.buf = big_alloc(rq->a[1]);
		if (!c.buf) {
			reply_fail("peek: LEN too large for the runner's buffer");
			return;
		}
		sig = guarded(addr, rq->a[1], chunk_peek, &c);
		if (!sig)
			reply_bytes(c.buf, rq->a[1]);
		big_free(c.buf, rq->a[1]);
		break;
	}
	if (sig)
		reply_signal(sig);
	else if (rq->op == OP_SUM)
		reply_num(c.hash, 0);
	else if (rq->op != OP_PEEK)
		reply_num(0, 0);
}

static void op_maps(void)
{
	struct buf b = {0};
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		reply_fail("cannot open /proc/self/maps");
		return;
	}
	for (;;) {
		buf_reserve(&b, 65536);
		ssize_t r = read(fd, b.p + b.len, 65536);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		b.len += (size_t)r;
	}
	close(fd);
	reply_bytes(b.p, b.len);
	buf_free(&b);
}

/* fork: the child needs a channel of its own. A fresh socketpair is made
 * before forking; the child moves its end onto the channel fd number (which
 * closes the parent's channel in the child), and the parent hands the other
 * end to the controller with the reply. */
static void op_fork(void)
{
	int sp[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0) {
		reply_fail("fork: socketpair failed");
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(sp[0]);
		close(sp[1]);
		reply_num(-1, e);
		return;
	}
	if (pid == 0) {
		if (dup2(sp[1], g_chan) < 0)
			_exit(127);
		close(sp[0]);
		close(sp[1]);
		return; /* the child serves its new channel; no reply from it */
	}
	close(sp[1]);
	struct wire_resp rs = {.kind = RESP_OK, .num = pid};
	reply(&rs, NULL, 0, sp[0]);
	close(sp[0]);
}

/* exec: the runner's own binary carries on as this process. The channel fd
 * has no close-on-exec flag, so it survives; the new image answers. */
static void op_exec(void)
{
	char fdarg[16];
	snprintf(fdarg, sizeof fdarg, "%d", g_chan);
	char *const argv[] = {"linux-runner", "--worker", fdarg, NULL};
	execve("/proc/self/exe", argv, environ);
	reply_num(-1, errno);
}

static void handle(const struct wire_req *rq, const struct buf *in)
{
	const uint64_t *a = rq->a;
	const char *s = buf_str(in);
	long r;
	switch ((enum opcode)rq->op) {
	case OP_FORK: op_fork(); return;
	case OP_EXIT: _exit(0);
	case OP_EXEC: op_exec(); return;
	case OP_OPEN: r = open(s, (int)a[0], (mode_t)a[1]); break;
	case OP_SHM_OPEN: r = shm_open(s, (int)a[0], (mode_t)a[1]); break;
	case OP_SHM_UNLINK: r = shm_unlink(s); break;
	case OP_UNLINK: r = unlink(s); break;
	case OP_CLOSE:
		if ((int)a[0] == g_chan) {
			reply_fail("close: the scenario named the runner's channel fd");
			return;
		}
		r = close((int)a[0]);
		break;
	case OP_DUP: r = dup((int)a[0]); break;
	case OP_FTRUNCATE: r = ftruncate((int)a[0], (off_t)a[1]); break;
	case OP_WRITE: r = write((int)a[0], in->p, in->len); break;
	case OP_PWRITE: r = pwrite((int)a[0], in->p, in->len, (off_t)a[1]); break;
	case OP_READ: op_read(rq, 0); return;
	case OP_PREAD: op_read(rq, 1); return;
	case OP_LSEEK: r = lseek((int)a[0], (off_t)a[1], (int)a[2]); break;
	case OP_FSTAT: {
		struct stat st;
		if (fstat((int)a[0], &st) < 0) {
			reply_num(-1, errno);
		} else {
			struct wire_resp rs = {.kind = RESP_OK, .num = st.st_size,
					       .num2 = (int64_t)st.st_nlink};
			reply(&rs, NULL, 0, -1);
		}
		return;
	}
	/* Memory calls go straight to the kernel (no glibc argument checks). */
	case OP_MMAP: r = syscall(SYS_mmap, a[0], a[1], a[2], a[3], a[4], a[5]); break;
	case OP_MUNMAP: r = syscall(SYS_munmap, a[0], a[1]); break;
	case OP_MPROTECT: r = syscall(SYS_mprotect, a[0], a[1], a[2]); break;
	case OP_MSYNC: r = syscall(SYS_msync, a[0], a[1], a[2]); break;
	case OP_MREMAP: r = syscall(SYS_mremap, a[0], a[1], a[2], a[3], a[4]); break;
	case OP_MADVISE: r = syscall(SYS_madvise, a[0], a[1], a[2]); break;
	case OP_MINCORE: op_mincore(rq); return;
	case OP_POKE:
	case OP_FILL:
	case OP_PEEK:
	case OP_SUM: op_access(rq, in); return;
	case OP_MAPS: op_maps(); return;
	case OP_EQ:
	default: reply_fail("unknown request"); return;
	}
	reply_num(r, errno);
}

/* ---- main loop ----------------------------------------------------------- */

static void setup(int chan)
{
	g_chan = chan;
	g_page = (uint64_t)sysconf(_SC_PAGESIZE);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fault;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	/* Children are reaped by the kernel: an exited child never lingers as a
	 * zombie of a live scenario process. */
	signal(SIGCHLD, SIG_IGN);
	/* Dispositions the controller set for itself are not the scenario's. */
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
}

static void serve(void) __attribute__((noreturn));
static void serve(void)
{
	struct buf in = {0};
	for (;;) {
		struct wire_req rq;
		if (proto_recv(g_chan, &rq, sizeof rq, NULL) <= 0)
			_exit(0); /* channel closed: the scenario is over */
		buf_clear(&in);
		buf_reserve(&in, rq.len);
		if (rq.len && proto_recv(g_chan, in.p, rq.len, NULL) <= 0)
			_exit(0);
		in.len = rq.len;
		in.p[in.len] = '\0';
		handle(&rq, &in);
	}
}

void worker_main(int chan)
{
	setup(chan);
	serve();
}

int worker_resume(const char *fdarg)
{
	char *end;
	long fd = strtol(fdarg, &end, 10);
	if (*end || fd < 0 || fd > 1 << 20 || fcntl((int)fd, F_GETFD) < 0) {
		fprintf(stderr, "linux-runner: --worker needs the channel fd\n");
		return 2;
	}
	/* execve named us after "/proc/self/exe"; keep `ps` and `pgrep` honest. */
	prctl(PR_SET_NAME, "linux-runner");
	setup((int)fd);
	reply_num(0, 0); /* the exec succeeded */
	serve();
}
