/* controller.c — plays a scenario file line by line.
 *
 * The controller owns the scenario's namespace (labels, fd variables,
 * mapping variables: one table, since fork keeps fd numbers and addresses)
 * and one channel per live process. Each line is lexed and parsed only when
 * reached, so everything before a scenario error has printed. Operations go
 * to the worker of their label; the controller formats the result. */
#define _GNU_SOURCE
#include "controller.h"
#include "format.h"
#include "ledger.h"
#include "lexer.h"
#include "maps.h"
#include "names.h"
#include "parser.h"
#include "proto.h"
#include "sandbox.h"
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* The NULL-hint region: ADDR-0 mappings go below this, top down, far from
 * the runner's own libraries and heap (see README). */
#define HINT_TOP UINT64_C(0x7e0000000000)
/* How long a worker may take to answer one operation. */
#define ANSWER_TIMEOUT_MS (120 * 1000)
/* How long a worker may take to go away at teardown before it is killed. */
#define EXIT_TIMEOUT_MS (10 * 1000)

enum symkind { SYM_LABEL, SYM_FD, SYM_MAP };

struct sym {
	char *name;
	enum symkind kind;
	uint64_t value; /* fd number or address */
	/* SYM_LABEL only: */
	int chan;   /* controller's end of the channel, -1 once exited */
	pid_t pid;
	bool alive;
};

struct run {
	bool check;
	bool mismatch;
	long lineno;
	struct sym **syms; /* entries never move: callers may keep pointers */
	size_t nsyms;
	uint64_t hint; /* next NULL hint is below this */
	uint64_t page;
	struct sandbox sb;
};

static volatile sig_atomic_t g_signal;
static int g_chan_fd; /* the fd number every worker keeps its channel on */

/* ---- namespace ----------------------------------------------------------- */

static struct sym *lookup(struct run *r, const char *name, size_t n)
{
	for (size_t i = 0; i < r->nsyms; i++)
		if (strlen(r->syms[i]->name) == n && memcmp(r->syms[i]->name, name, n) == 0)
			return r->syms[i];
	return NULL;
}

static struct sym *add_sym(struct run *r, const char *name, enum symkind kind)
{
	r->syms = xrealloc(r->syms, (r->nsyms + 1) * sizeof *r->syms);
	struct sym *s = xmalloc(sizeof *s);
	r->syms[r->nsyms++] = s;
	memset(s, 0, sizeof *s);
	s->name = xstrndup(name, strlen(name));
	s->kind = kind;
	s->chan = -1;
	return s;
}

/* Binds a variable (an fd or an address), replacing any earlier binding. */
static void bind_var(struct run *r, const char *name, enum symkind kind, uint64_t value)
{
	struct sym *s = lookup(r, name, strlen(name));
	if (!s)
		s = add_sym(r, name, kind);
	s->kind = kind;
	s->value = value;
}

/* A failed mmap/mremap/open/shm_open/dup leaves the name unbound. */
static void unbind(struct run *r, const char *name)
{
	for (size_t i = 0; i < r->nsyms; i++) {
		struct sym *s = r->syms[i];
		if (s->kind != SYM_LABEL && strcmp(s->name, name) == 0) {
			free(s->name);
			free(s);
			r->syms[i] = r->syms[--r->nsyms];
			return;
		}
	}
}

static const char *kind_word(enum symkind k)
{
	return k == SYM_LABEL ? "a process label" : k == SYM_FD ? "an fd variable" : "a mapping variable";
}

/* Resolves a variable argument that must be of `want` kind. */
static int resolve(struct run *r, const char *name, size_t n, enum symkind want, uint64_t *out,
		   struct buf *err)
{
	struct sym *s = lookup(r, name, n);
	if (!s) {
		buf_printf(err, "unbound name '%.*s'", (int)n, name);
		return -1;
	}
	if (s->kind != want) {
		buf_printf(err, "'%.*s' is %s, not %s", (int)n, name, kind_word(s->kind),
			   kind_word(want));
		return -1;
	}
	*out = s->value;
	return 0;
}

/* Resolves every name in cmd: the values go to vals[] (numbers stay). */
static int resolve_args(struct run *r, const struct cmd *c, uint64_t vals[MAX_ARGS],
			struct buf *err)
{
	for (unsigned i = 0; i < c->nargs; i++) {
		const struct arg *a = &c->args[i];
		vals[i] = a->num;
		if (!a->present)
			continue;
		switch (a->kind) {
		case A_NEWLABEL: {
			struct sym *s = lookup(r, a->name, a->namelen);
			if (s && s->kind == SYM_LABEL) {
				buf_printf(err, "label '%s' was used before", a->name);
				return -1;
			}
			if (s) {
				buf_printf(err, "'%s' is %s, not a new label", a->name, kind_word(s->kind));
				return -1;
			}
			break;
		}
		case A_BIND_FD:
		case A_BIND_MAP: {
			struct sym *s = lookup(r, a->name, a->namelen);
			if (s && s->kind == SYM_LABEL) {
				buf_printf(err, "'%s' is a process label, not a variable", a->name);
				return -1;
			}
			break;
		}
		case A_FD:
			if (resolve(r, a->name, a->namelen, SYM_FD, &vals[i], err) < 0)
				return -1;
			break;
		case A_FD_OR_NUM:
			if (a->name && resolve(r, a->name, a->namelen, SYM_FD, &vals[i], err) < 0)
				return -1;
			break;
		case A_ADDR:
			if (a->name) {
				uint64_t base;
				if (resolve(r, a->name, a->namelen, SYM_MAP, &base, err) < 0)
					return -1;
				vals[i] = base + a->num; /* wraps like C pointer arithmetic */
			}
			break;
		default:
			break;
		}
	}
	return 0;
}

/* ---- workers --------------------------------------------------------------- */

/* Marks p as gone and reaps it if it is our child (the first process, or an
 * orphan handed to us as subreaper); a process whose parent lives on is
 * reaped by that parent, which ignores SIGCHLD. */
static void forget_process(struct sym *p)
{
	if (p->chan >= 0)
		close(p->chan);
	p->chan = -1;
	p->alive = false;
	while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR && !g_signal)
		;
	while (waitpid(-1, NULL, WNOHANG) > 0) /* orphans that exited earlier */
		;
}

/* The channel to p failed: we were interrupted (p may well be alive), or p
 * died under us. Always returns -1 with the reason in err. */
static int lost(struct sym *p, struct buf *err)
{
	if (g_signal) {
		buf_adds(err, "interrupted");
		return -1;
	}
	buf_printf(err, "runner: process %s died unexpectedly", p->name);
	forget_process(p);
	return -1;
}

static int wait_readable(int fd, int timeout_ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	for (;;) {
		int n = poll(&pfd, 1, timeout_ms);
		if (n < 0 && errno == EINTR && !g_signal)
			continue;
		return n;
	}
}

/* Waits for the answer of process p. Returns 0, or -1 with a reason in err
 * (the process died, did not answer, or we were interrupted). */
static int await(struct sym *p, struct wire_resp *rs, struct buf *payload, int *fd,
		 struct buf *err)
{
	int n = wait_readable(p->chan, ANSWER_TIMEOUT_MS);
	if (g_signal)
		return lost(p, err);
	if (n == 0) {
		buf_printf(err, "runner: process %s did not answer within %d s", p->name,
			   ANSWER_TIMEOUT_MS / 1000);
		return -1;
	}
	int got = proto_recv(p->chan, rs, sizeof *rs, fd);
	if (got == 1 && rs->len) {
		buf_reserve(payload, rs->len);
		got = proto_recv(p->chan, payload->p, rs->len, NULL);
		payload->len = got == 1 ? rs->len : 0;
		payload->p[payload->len] = '\0';
	}
	return got == 1 ? 0 : lost(p, err);
}

static int call(struct sym *p, const struct wire_req *rq, const void *data,
		struct wire_resp *rs, struct buf *payload, int *fd, struct buf *err)
{
	if (proto_send(p->chan, rq, sizeof *rq, data, rq->len, -1) < 0)
		return lost(p, err);
	return await(p, rs, payload, fd, err);
}

/* Starts the first process, p1: a child of ours that enters the sandbox and
 * then serves its channel. It says hello (or why it could not start). */
static int spawn_first(struct run *r, struct buf *err)
{
	int sp[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0) {
		buf_printf(err, "runner: socketpair: %s", strerror(errno));
		return -1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		buf_printf(err, "runner: fork: %s", strerror(errno));
		close(sp[0]);
		close(sp[1]);
		return -1;
	}
	if (pid == 0) {
		/* The channel moves to its fixed, high number; every other fd of
		 * the controller goes, so p1 starts with no scenario fds. Output
		 * belongs to the controller: stdin/stdout become /dev/null. */
		if (dup2(sp[1], g_chan_fd) < 0)
			_exit(127);
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
		}
		if (g_chan_fd > 3)
			close_range(3, (unsigned)g_chan_fd - 1, 0);
		close_range((unsigned)g_chan_fd + 1, ~0U, 0);
		struct buf why = {0};
		struct wire_resp rs = {.kind = RESP_OK};
		if (sandbox_enter(&r->sb, &why) < 0)
			rs.kind = RESP_FAIL;
		rs.len = why.len;
		proto_send(g_chan_fd, &rs, sizeof rs, why.p, why.len, -1);
		if (rs.kind != RESP_OK)
			_exit(127);
		worker_main(g_chan_fd);
	}
	close(sp[1]);
	struct sym *p1 = add_sym(r, "p1", SYM_LABEL);
	p1->chan = sp[0];
	p1->pid = pid;
	p1->alive = true;
	ledger_note_pid(pid);

	struct wire_resp rs;
	struct buf payload = {0};
	int rc = await(p1, &rs, &payload, NULL, err);
	if (rc == 0 && rs.kind != RESP_OK) {
		buf_printf(err, "runner: cannot start p1: %s", buf_str(&payload));
		rc = -1;
	}
	buf_free(&payload);
	return rc;
}

/* Shuts every live process down: each sees end of file on its channel and
 * exits; one that does not within EXIT_TIMEOUT_MS is killed (safe: until its
 * channel reports end of file the process exists, so the pid is its own).
 * Then every child is reaped, orphans included, so no zombie outlives the
 * scenario. */
static void teardown(struct run *r)
{
	for (size_t i = 0; i < r->nsyms; i++) {
		struct sym *p = r->syms[i];
		if (p->kind == SYM_LABEL && p->alive)
			shutdown(p->chan, SHUT_WR);
	}
	for (size_t i = 0; i < r->nsyms; i++) {
		struct sym *p = r->syms[i];
		if (p->kind != SYM_LABEL || !p->alive)
			continue;
		char c;
		for (;;) {
			/* Interrupted: the user is waiting, so do not wait long. */
			if (wait_readable(p->chan, g_signal ? 1000 : EXIT_TIMEOUT_MS) == 0) {
				fprintf(stderr, "linux-runner: process %s does not exit; killing it\n",
					p->name);
				kill(p->pid, SIGKILL);
				continue;
			}
			ssize_t n = read(p->chan, &c, 1);
			if (n <= 0 && !(n < 0 && errno == EINTR))
				break; /* end of file: the process is gone */
		}
		close(p->chan);
		p->chan = -1;
		p->alive = false;
	}
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	for (size_t i = 0; i < r->nsyms; i++) {
		free(r->syms[i]->name);
		free(r->syms[i]);
	}
	free(r->syms);
	r->syms = NULL;
	r->nsyms = 0;
}

/* ---- operations ------------------------------------------------------------ */

/* exit: the process ends; its channel reports end of file only once its fd
 * table is gone, which comes after its address space, so the next line sees
 * the effects of the exit. */
static int do_exit(struct sym *p, struct buf *out, struct buf *err)
{
	struct wire_req rq = {.op = OP_EXIT};
	/* A failed send means the process is already going: wait all the same. */
	proto_send(p->chan, &rq, sizeof rq, NULL, 0, -1);
	for (;;) {
		int n = wait_readable(p->chan, ANSWER_TIMEOUT_MS);
		if (g_signal) {
			buf_adds(err, "interrupted");
			return -1;
		}
		if (n == 0) {
			buf_printf(err, "runner: process %s did not exit", p->name);
			return -1;
		}
		char c;
		ssize_t got = read(p->chan, &c, 1);
		if (got == 0 || (got < 0 && errno != EINTR))
			break; /* end of file: the process is gone */
	}
	forget_process(p);
	buf_adds(out, "ok");
	return 0;
}

static void put_signal(struct buf *out, int sig)
{
	buf_adds(out, sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : "SIGNAL");
}

/* Runs one parsed line. Returns 0 with the RESULT in out, or -1 with the
 * reason of a scenario error in err. */
static int execute(struct run *r, const struct cmd *c, struct buf *out, struct buf *err)
{
	struct sym *p = lookup(r, c->label, strlen(c->label));
	if (!p) {
		buf_printf(err, "unknown process '%s'", c->label);
		return -1;
	}
	if (p->kind != SYM_LABEL) {
		buf_printf(err, "'%s' is %s, not a process label", c->label, kind_word(p->kind));
		return -1;
	}
	if (!p->alive) {
		buf_printf(err, "process '%s' has exited", c->label);
		return -1;
	}
	uint64_t v[MAX_ARGS];
	if (resolve_args(r, c, v, err) < 0)
		return -1;

	if (c->op == OP_EXIT)
		return do_exit(p, out, err);
	if (c->op == OP_EQ) {
		buf_adds(out, v[0] == v[1] ? "true" : "false");
		return 0;
	}

	struct wire_req rq = {.op = (uint32_t)c->op};
	struct buf data = {0}, payload = {0};
	struct wire_resp rs;
	int newfd = -1, rc = -1;

	switch (c->op) {
	case OP_OPEN:
		sandbox_path(&r->sb, c->args[1].str, &data);
		rq.a[0] = v[2];
		rq.a[1] = v[3];
		break;
	case OP_SHM_OPEN:
		sandbox_shm_name(&r->sb, c->args[1].str, &data);
		rq.a[0] = v[2];
		rq.a[1] = v[3];
		break;
	case OP_UNLINK:
		sandbox_path(&r->sb, c->args[0].str, &data);
		break;
	case OP_SHM_UNLINK:
		sandbox_shm_name(&r->sb, c->args[0].str, &data);
		break;
	case OP_WRITE:
		rq.a[0] = v[0];
		buf_add(&data, c->args[1].str, c->args[1].len);
		break;
	case OP_PWRITE:
		rq.a[0] = v[0];
		rq.a[1] = v[1];
		buf_add(&data, c->args[2].str, c->args[2].len);
		break;
	case OP_POKE:
		rq.a[0] = v[0];
		buf_add(&data, c->args[1].str, c->args[1].len);
		break;
	case OP_MMAP:
		/* ADDR 0 without MAP_FIXED*: steer into the runner's region. */
		if (v[1] == 0 && !(v[4] & (LR_MAP_FIXED | LR_MAP_FIXED_NOREPLACE)) && v[2] != 0 &&
		    v[2] <= UINT64_MAX - (r->page - 1)) {
			uint64_t rounded = (v[2] + r->page - 1) & ~(r->page - 1);
			if (rounded < r->hint) {
				r->hint -= rounded;
				v[1] = r->hint;
			}
		}
		for (int i = 0; i < 6; i++)
			rq.a[i] = v[i + 1];
		break;
	case OP_MREMAP:
		for (int i = 0; i < 5; i++)
			rq.a[i] = v[i + 1];
		break;
	case OP_MAPS:
		if (v[1] > UINT64_MAX - v[0]) {
			buf_adds(err, "maps range wraps past the end of the address space");
			return -1;
		}
		/* fall through */
	default:
		for (unsigned i = 0; i < c->nargs && i < 6; i++)
			rq.a[i] = v[i];
		break;
	}
	rq.len = data.len;

	if (call(p, &rq, data.p, &rs, &payload, &newfd, err) < 0)
		goto done;

	if (rs.kind == RESP_FAIL) {
		buf_printf(err, "runner: %s", buf_str(&payload));
		goto done;
	}
	rc = 0;
	if (rs.kind == RESP_SIGNAL) {
		put_signal(out, rs.code);
		goto done;
	}
	if (rs.kind == RESP_ERRNO) {
		fmt_errno(out, rs.code);
		/* A failed binding operation leaves its name unbound. */
		if (c->op == OP_OPEN || c->op == OP_SHM_OPEN || c->op == OP_MMAP || c->op == OP_MREMAP)
			unbind(r, c->args[0].name);
		else if (c->op == OP_DUP)
			unbind(r, c->args[1].name);
		goto done;
	}

	switch (c->op) {
	case OP_FORK: {
		if (newfd < 0) {
			buf_adds(err, "runner: fork reply without a channel");
			rc = -1;
			break;
		}
		struct sym *q = add_sym(r, c->args[0].name, SYM_LABEL);
		q->chan = newfd;
		q->pid = (pid_t)rs.num;
		q->alive = true;
		ledger_note_pid(q->pid);
		newfd = -1;
		buf_adds(out, "ok");
		break;
	}
	case OP_OPEN:
	case OP_SHM_OPEN:
		bind_var(r, c->args[0].name, SYM_FD, (uint64_t)rs.num);
		buf_adds(out, "ok");
		break;
	case OP_DUP:
		bind_var(r, c->args[1].name, SYM_FD, (uint64_t)rs.num);
		buf_adds(out, "ok");
		break;
	case OP_MMAP:
	case OP_MREMAP:
		bind_var(r, c->args[0].name, SYM_MAP, (uint64_t)rs.num);
		buf_adds(out, "ok");
		break;
	case OP_WRITE:
	case OP_PWRITE:
	case OP_LSEEK:
		buf_printf(out, "%" PRId64, rs.num);
		break;
	case OP_FSTAT:
		buf_printf(out, "size=%lld nlink=%lu", (long long)rs.num, (unsigned long)rs.num2);
		break;
	case OP_READ:
	case OP_PREAD:
	case OP_PEEK:
		fmt_quoted(out, (const unsigned char *)payload.p, payload.len);
		break;
	case OP_SUM:
		buf_printf(out, "fnv=0x%08x", (unsigned)rs.num);
		break;
	case OP_MINCORE:
		for (size_t i = 0; i < payload.len; i++)
			buf_addc(out, (payload.p[i] & 1) ? '1' : '0');
		break;
	case OP_MAPS: {
		struct maps_ctx mc = {.page = r->page, .scratch = r->sb.scratch,
				      .token = r->sb.token};
		maps_describe(out, payload.p, payload.len, v[0], v[1], &mc);
		break;
	}
	default:
		buf_adds(out, "ok");
		break;
	}
done:
	if (newfd >= 0)
		close(newfd);
	buf_free(&data);
	buf_free(&payload);
	return rc;
}

/* ---- the line loop ----------------------------------------------------------- */

static int scenario_error(struct run *r, const char *why)
{
	fflush(stdout);
	fprintf(stderr, "%ld: scenario error: %s\n", r->lineno, why);
	return 2;
}

static int run_line(struct run *r, const char *line, size_t n)
{
	struct lexed_line l;
	struct cmd c;
	struct buf out = {0}, err = {0};
	int status = 0;

	if (lex_line(line, n, &l, &err) < 0)
		goto error;
	if (l.ntoks == 0) {
		if (l.has_expect) {
			buf_adds(&err, "'=>' on a line without an operation");
			goto error_l;
		}
		goto done_l;
	}
	if (parse_cmd(&l, &c, &err) < 0)
		goto error_l;

	if (execute(r, &c, &out, &err) < 0)
		goto error_l;

	printf("%ld: %s\n", r->lineno, buf_str(&out));
	fflush(stdout);
	if (r->check && l.has_expect && strcmp(l.expect, buf_str(&out)) != 0) {
		fprintf(stderr, "%ld: expected %s, got %s\n", r->lineno, l.expect, buf_str(&out));
		r->mismatch = true;
	}
	goto done_l;

error_l:
	lexed_line_free(&l);
error:
	status = scenario_error(r, buf_str(&err));
	buf_free(&out);
	buf_free(&err);
	return status;
done_l:
	lexed_line_free(&l);
	buf_free(&out);
	buf_free(&err);
	return status;
}

int controller_run_file(const char *path, bool check)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		fflush(stdout);
		fprintf(stderr, "linux-runner: %s: %s\n", path, strerror(errno));
		return 2;
	}
	struct run r;
	memset(&r, 0, sizeof r);
	r.check = check;
	r.hint = HINT_TOP;
	r.page = (uint64_t)sysconf(_SC_PAGESIZE);

	struct buf err = {0};
	int status = 0;
	if (sandbox_create(&r.sb, &err) < 0) {
		fflush(stdout);
		fprintf(stderr, "linux-runner: %s\n", buf_str(&err));
		buf_free(&err);
		fclose(f);
		return 2;
	}
	if (spawn_first(&r, &err) < 0) {
		fflush(stdout);
		fprintf(stderr, "linux-runner: %s\n", buf_str(&err));
		status = 2;
	}

	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while (status == 0 && (n = getline(&line, &cap, f)) >= 0) {
		r.lineno++;
		if (n > 0 && line[n - 1] == '\n')
			n--;
		status = run_line(&r, line, (size_t)n);
		if (g_signal)
			status = 2;
	}
	free(line);
	fclose(f);
	buf_free(&err);

	teardown(&r);
	sandbox_destroy(&r.sb);
	if (status == 0 && r.mismatch)
		status = 1;
	return status;
}

/* ---- process-wide set-up ------------------------------------------------------- */

static void on_signal(int sig)
{
	g_signal = sig;
	proto_interrupted = 1;
}

void controller_init(void)
{
	/* Orphaned scenario processes are re-parented to us, so we can reap
	 * them: no zombie outlives a scenario. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGPIPE, SIG_IGN);

	/* No SA_RESTART: a signal interrupts a blocking wait, the file is torn
	 * down (scratch directory and shm objects removed), then we re-raise. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	/* Workers keep their channel on a high fd number that scenario fds
	 * (always the lowest free number) do not reach in practice. */
	struct rlimit rl;
	rlim_t lim = 1024;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < lim)
		lim = rl.rlim_cur;
	g_chan_fd = (int)lim - 1;
}

int controller_interrupted(void) { return g_signal; }
