/* parser.c — the operation table of docs/scenario-language.md ("Operations") and the per-position argument syntax. */
#define _GNU_SOURCE
#include "parser.h"

#include <stdlib.h>
#include <string.h>

struct argspec {
	enum argkind kind;
	enum family fam; /* A_FLAGS only */
};

struct opdef {
	const char *name;
	enum opcode op;
	unsigned nreq, nopt;
	struct argspec args[MAX_ARGS];
};

#define ARG(k) {k, FAM_PROT}
#define FLAGS(f) {A_FLAGS, f}

static const struct opdef ops[] = {
	{"fork", OP_FORK, 1, 0, {ARG(A_NEWLABEL)}},
	{"exit", OP_EXIT, 0, 0, {{0, 0}}},
	{"exec", OP_EXEC, 0, 0, {{0, 0}}},
	{"open", OP_OPEN, 3, 1, {ARG(A_BIND_FD), ARG(A_PATH), FLAGS(FAM_O), FLAGS(FAM_MODE)}},
	{"shm_open", OP_SHM_OPEN, 3, 1,
	 {ARG(A_BIND_FD), ARG(A_SHMNAME), FLAGS(FAM_O), FLAGS(FAM_MODE)}},
	{"shm_unlink", OP_SHM_UNLINK, 1, 0, {ARG(A_SHMNAME)}},
	{"unlink", OP_UNLINK, 1, 0, {ARG(A_PATH)}},
	{"close", OP_CLOSE, 1, 0, {ARG(A_FD)}},
	{"dup", OP_DUP, 2, 0, {ARG(A_FD), ARG(A_BIND_FD)}},
	{"ftruncate", OP_FTRUNCATE, 2, 0, {ARG(A_FD), ARG(A_NUM)}},
	{"write", OP_WRITE, 2, 0, {ARG(A_FD), ARG(A_DATA)}},
	{"pwrite", OP_PWRITE, 3, 0, {ARG(A_FD), ARG(A_NUM), ARG(A_DATA)}},
	{"read", OP_READ, 2, 0, {ARG(A_FD), ARG(A_NUM)}},
	{"pread", OP_PREAD, 3, 0, {ARG(A_FD), ARG(A_NUM), ARG(A_NUM)}},
	{"lseek", OP_LSEEK, 3, 0, {ARG(A_FD), ARG(A_NUM), FLAGS(FAM_SEEK)}},
	{"fstat", OP_FSTAT, 1, 0, {ARG(A_FD)}},
	{"mmap", OP_MMAP, 7, 0,
	 {ARG(A_BIND_MAP), ARG(A_ADDR), ARG(A_NUM), FLAGS(FAM_PROT), FLAGS(FAM_MAP),
	  ARG(A_FD_OR_NUM), ARG(A_NUM)}},
	{"munmap", OP_MUNMAP, 2, 0, {ARG(A_ADDR), ARG(A_NUM)}},
	{"mprotect", OP_MPROTECT, 3, 0, {ARG(A_ADDR), ARG(A_NUM), FLAGS(FAM_PROT)}},
	{"msync", OP_MSYNC, 3, 0, {ARG(A_ADDR), ARG(A_NUM), FLAGS(FAM_MS)}},
	{"mremap", OP_MREMAP, 5, 1,
	 {ARG(A_BIND_MAP), ARG(A_ADDR), ARG(A_NUM), ARG(A_NUM), FLAGS(FAM_MREMAP),
	  ARG(A_ADDR)}},
	{"madvise", OP_MADVISE, 3, 0, {ARG(A_ADDR), ARG(A_NUM), FLAGS(FAM_MADV)}},
	{"mincore", OP_MINCORE, 2, 0, {ARG(A_ADDR), ARG(A_NUM)}},
	{"poke", OP_POKE, 2, 0, {ARG(A_ADDR), ARG(A_DATA)}},
	{"fill", OP_FILL, 3, 0, {ARG(A_ADDR), ARG(A_NUM), ARG(A_BYTE)}},
	{"peek", OP_PEEK, 2, 0, {ARG(A_ADDR), ARG(A_NUM)}},
	{"sum", OP_SUM, 2, 0, {ARG(A_ADDR), ARG(A_NUM)}},
	{"eq", OP_EQ, 2, 0, {ARG(A_ADDR), ARG(A_ADDR)}},
	{"maps", OP_MAPS, 2, 0, {ARG(A_ADDR), ARG(A_NUM)}},
};

static const struct opdef *find_op(const char *name)
{
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(ops[i].name, name) == 0)
			return &ops[i];
	return NULL;
}

static bool starts_number(const char *s)
{
	return s[0] == '-' || (s[0] >= '0' && s[0] <= '9');
}

/* ADDR: a number, or NAME, NAME+NUMBER, NAME-NUMBER (one unsigned number). */
static int parse_addr(const char *s, struct arg *a, struct buf *err)
{
	if (starts_number(s))
		return lex_number(s, &a->num, err);
	size_t n = strcspn(s, "+-");
	char *name = xstrndup(s, n);
	bool ok = lex_is_name(name);
	free(name);
	if (!ok) {
		buf_printf(err, "invalid address '%s'", s);
		return -1;
	}
	a->name = s;
	a->namelen = n;
	a->num = 0;
	if (s[n] == '\0')
		return 0;
	const char *off = s + n + 1;
	if (!(*off >= '0' && *off <= '9')) {
		buf_printf(err, "invalid address '%s' (expected M+OFF or M-OFF)", s);
		return -1;
	}
	uint64_t v;
	if (lex_number(off, &v, err) < 0) {
		buf_printf(err, " in address '%s'", s);
		return -1;
	}
	a->num = s[n] == '-' ? (uint64_t)0 - v : v;
	return 0;
}

/* Paths are relative (to the scratch directory), or absolute under
 * /dev/shm/; "." and ".." as the first component there would name
 * /dev/shm itself or leave it, which the shm-name token cannot express. */
static int check_path(const struct arg *a, struct buf *err)
{
	if (memchr(a->str, '\0', a->len)) {
		buf_adds(err, "a NUL byte in a path");
		return -1;
	}
	if (a->len == 0 || a->str[0] != '/')
		return 0;
	if (strncmp(a->str, "/dev/shm/", 9) != 0) {
		buf_printf(err, "absolute path outside /dev/shm/: \"%s\"", a->str);
		return -1;
	}
	const char *rest = a->str + 9;
	while (*rest == '/')
		rest++;
	size_t n = strcspn(rest, "/");
	if ((n == 1 && rest[0] == '.') || (n == 2 && rest[0] == '.' && rest[1] == '.')) {
		buf_printf(err, "path does not name an object under /dev/shm/: \"%s\"",
			   a->str);
		return -1;
	}
	return 0;
}

static int parse_arg(const struct argspec *spec, const struct token *t, struct arg *a,
		     struct buf *err)
{
	a->kind = spec->kind;
	a->present = true;
	bool want_string = spec->kind == A_PATH || spec->kind == A_SHMNAME ||
			   spec->kind == A_DATA;
	if (want_string != (t->type == TOK_STRING)) {
		buf_printf(err, want_string ? "expected a string literal, got '%s'"
					    : "expected a word, got a string literal%s",
			   want_string ? t->text : "");
		return -1;
	}
	switch (spec->kind) {
	case A_NEWLABEL:
	case A_BIND_FD:
	case A_BIND_MAP:
	case A_FD:
		if (!lex_is_name(t->text)) {
			buf_printf(err, "invalid name '%s'", t->text);
			return -1;
		}
		a->name = t->text;
		a->namelen = t->len;
		return 0;
	case A_FD_OR_NUM:
		if (starts_number(t->text))
			return lex_number(t->text, &a->num, err);
		if (!lex_is_name(t->text)) {
			buf_printf(err, "invalid fd '%s'", t->text);
			return -1;
		}
		a->name = t->text;
		a->namelen = t->len;
		return 0;
	case A_ADDR:
		return parse_addr(t->text, a, err);
	case A_NUM:
		return lex_number(t->text, &a->num, err);
	case A_BYTE:
		if (lex_number(t->text, &a->num, err) < 0)
			return -1;
		if (a->num > 255) {
			buf_printf(err, "BYTE out of range 0..255: '%s'", t->text);
			return -1;
		}
		return 0;
	case A_FLAGS:
		return parse_flags(t->text, spec->fam, &a->num, err);
	case A_PATH:
	case A_SHMNAME:
	case A_DATA:
		a->str = t->text;
		a->len = t->len;
		if (spec->kind == A_PATH)
			return check_path(a, err);
		if (spec->kind == A_SHMNAME && memchr(a->str, '\0', a->len)) {
			buf_adds(err, "a NUL byte in an shm name");
			return -1;
		}
		return 0;
	}
	return 0;
}

int parse_cmd(const struct lexed_line *l, struct cmd *c, struct buf *err)
{
	memset(c, 0, sizeof *c);
	const struct token *t = l->toks;
	if (t[0].type != TOK_WORD || !lex_is_name(t[0].text)) {
		buf_adds(err, "a line must start with a process label");
		return -1;
	}
	c->label = t[0].text;
	if (l->ntoks < 2) {
		buf_printf(err, "missing operation after '%s'", c->label);
		return -1;
	}
	const struct opdef *d = t[1].type == TOK_WORD ? find_op(t[1].text) : NULL;
	if (!d) {
		buf_printf(err, "unknown operation '%s'", t[1].type == TOK_WORD ? t[1].text : "\"...\"");
		return -1;
	}
	c->op = d->op;
	c->opname = d->name;
	size_t given = l->ntoks - 2;
	if (given < d->nreq || given > d->nreq + d->nopt) {
		if (d->nopt)
			buf_printf(err, "%s takes %u or %u arguments, got %zu", d->name, d->nreq,
				   d->nreq + d->nopt, given);
		else
			buf_printf(err, "%s takes %u argument%s, got %zu", d->name, d->nreq,
				   d->nreq == 1 ? "" : "s", given);
		return -1;
	}
	c->nargs = d->nreq + d->nopt;
	for (unsigned i = 0; i < c->nargs; i++) {
		if (i < given) {
			if (parse_arg(&d->args[i], &t[2 + i], &c->args[i], err) < 0) {
				buf_printf(err, " (argument %u of %s)", i + 1, d->name);
				return -1;
			}
		} else {
			/* Omitted optional argument: MODE defaults to 0666. */
			c->args[i].kind = d->args[i].kind;
			c->args[i].present = false;
			c->args[i].num = d->args[i].fam == FAM_MODE ? 0666 : 0;
		}
	}
	return 0;
}
